-- The descriptive before/after windows of `mutasi prepost` (crates/mutasi-analysis/src/estimate/prepost.rs), in SQL for
-- DuckDB (bench/duckdb.sh; not run by CI). For every transfer to a unit of the instansi and
-- every indicator with monthly values: the months [m0-6, m0-1] before and [m0+1, m0+6] after the
-- TMT month m0 (the TMT month itself in neither), their counts and means; a transfer with no
-- month on either side gives no row. `{dir}` is the validated folder.
WITH k AS (
  SELECT pegawai_id, indikator, year(periode_mulai) * 12 + month(periode_mulai) AS mk, nilai
  FROM read_parquet('{dir}/kinerja.parquet')
  WHERE jenis_periode = 'bulan'
),
m AS (
  SELECT m.pegawai_id, m.tmt, m.unit_tujuan_id, year(m.tmt) * 12 + month(m.tmt) AS m0
  FROM read_parquet('{dir}/mutasi.parquet') m
  JOIN read_parquet('{dir}/unit_kerja.parquet') u ON u.unit_id = m.unit_tujuan_id
)
SELECT m.pegawai_id, m.tmt, m.unit_tujuan_id, k.indikator,
       count(*) FILTER (WHERE k.mk < m.m0) AS n_pre,
       count(*) FILTER (WHERE k.mk > m.m0) AS n_post,
       avg(k.nilai) FILTER (WHERE k.mk < m.m0) AS mean_pre,
       avg(k.nilai) FILTER (WHERE k.mk > m.m0) AS mean_post
FROM m
JOIN k ON k.pegawai_id = m.pegawai_id AND k.mk BETWEEN m.m0 - 6 AND m.m0 + 6 AND k.mk <> m.m0
GROUP BY ALL
