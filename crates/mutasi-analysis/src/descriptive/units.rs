//! The unit → OPD map every table by OPD joins to, as a lazy query over `unit_kerja`.

use polars::prelude::*;

/// `unit_id`, `opd` for every unit of `units` (a scan or frame of `unit_kerja`): the unit itself
/// when it names no OPD, and the first row of a unit listed twice.
pub fn opd_of(units: LazyFrame) -> LazyFrame {
    units
        .filter(col("unit_id").is_not_null())
        .group_by_stable([col("unit_id")])
        .agg([col("opd").first()])
        .select([
            col("unit_id"),
            when(col("opd").is_null()).then(col("unit_id")).otherwise(col("opd")).alias("opd"),
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_without_an_opd_is_its_own_and_the_first_row_wins() {
        let units = DataFrame::new(
            4,
            vec![
                Column::new("unit_id".into(), [Some("PKM01"), Some("DINKES"), Some("PKM01"), None]),
                Column::new("opd".into(), [Some("DINKES"), None, Some("DIKBUD"), Some("X")]),
            ],
        )
        .expect("frame");
        let out = opd_of(units.lazy()).collect().expect("query");
        let pairs: Vec<(String, String)> = (0..out.height())
            .map(|i| {
                let get =
                    |c: &str| out.column(c).expect("column").get(i).expect("cell").str_value().to_string();
                (get("unit_id"), get("opd"))
            })
            .collect();
        assert_eq!(
            pairs,
            [("PKM01".to_string(), "DINKES".to_string()), ("DINKES".to_string(), "DINKES".to_string())]
        );
    }
}
