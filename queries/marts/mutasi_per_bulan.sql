-- Transfers per month (all kinds), from the staging table above.
SELECT bulan, SUM(n_mutasi) AS n_mutasi
FROM stg_mutasi_bulanan
GROUP BY bulan
ORDER BY bulan
