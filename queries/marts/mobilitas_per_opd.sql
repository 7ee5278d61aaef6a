-- Mobility rate per OPD and year among employees at least 2 years in post.
SELECT opd, tahun, pegawai_layak, pegawai_pindah, laju_mobilitas
FROM mobility
ORDER BY opd, tahun
