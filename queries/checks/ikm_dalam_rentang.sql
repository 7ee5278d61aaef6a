-- Check: every IKM konversi lies in 25-100 (passes when no row comes back).
SELECT unit_id, periode, ikm_konversi
FROM ikm_per_unit
WHERE ikm_konversi < 25 OR ikm_konversi > 100
