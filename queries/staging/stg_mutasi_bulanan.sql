-- Transfers per month and kind, from the canonical mutasi table.
SELECT
  STRFTIME(tmt, '%Y-%m') AS bulan,
  jenis_mutasi,
  COUNT(*) AS n_mutasi
FROM mutasi
GROUP BY STRFTIME(tmt, '%Y-%m'), jenis_mutasi
ORDER BY bulan, jenis_mutasi
