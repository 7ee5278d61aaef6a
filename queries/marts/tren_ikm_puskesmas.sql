-- IKM trend per Puskesmas and survey period.
SELECT unit_id, periode, n_responden, ikm_konversi, mutu, unsur_terlemah, sampel_cukup
FROM ikm_per_unit
ORDER BY unit_id, periode
