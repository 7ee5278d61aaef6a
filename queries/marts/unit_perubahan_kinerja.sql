-- Units ranked by the mean before/after change in capaian_iki of the staff transferred into them
-- (descriptive, not causal), with a normal-approximation 95% interval; units with fewer than 5
-- valid windows are left out (small groups). Top and bottom units are the two ends of this list.
WITH w AS (
  SELECT unit_tujuan_id, opd_tujuan, delta
  FROM transfer_windows
  WHERE indikator = 'capaian_iki' AND sah
)
SELECT
  unit_tujuan_id,
  opd_tujuan,
  COUNT(*) AS n_mutasi,
  AVG(delta) AS rata_delta,
  AVG(delta) - 1.96 * STDDEV(delta) / SQRT(COUNT(*)) AS ci_low,
  AVG(delta) + 1.96 * STDDEV(delta) / SQRT(COUNT(*)) AS ci_high
FROM w
GROUP BY unit_tujuan_id, opd_tujuan
HAVING COUNT(*) >= 5
ORDER BY rata_delta DESC, unit_tujuan_id
