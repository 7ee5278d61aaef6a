-- Mobility rate per OPD and year among employees at least 2 years in post.
-- The OPD rows of a year add up to the city's: a small OPD is hidden with the next smallest.
-- hitungan: pegawai_layak, pegawai_pindah
-- kelompok: tahun
SELECT opd, tahun, pegawai_layak, pegawai_pindah, laju_mobilitas
FROM mobility
ORDER BY opd, tahun
