//! Service quality of units (issue #4): the IKM of PermenPANRB 14/2017 from raw SKM answers
//! ([`ikm`], pure) and its per-unit, per-period table from validated data ([`ikm_table`]); and
//! the effects of unit treatments (new head, arriving professional, staff turnover) on every
//! service indicator ([`unit_effects`]).

pub mod ikm_table;
pub mod unit_effects;
