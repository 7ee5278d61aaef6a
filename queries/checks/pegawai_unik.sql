-- Check: one row per employee in the canonical pegawai table.
SELECT pegawai_id, COUNT(*) AS n
FROM pegawai
GROUP BY pegawai_id
HAVING COUNT(*) > 1
