-- Complete responses of a period for the CSV and XLSX exports, oldest first. Three queries
-- rather than "? IS NULL OR unit_id = ?" so that each can use its index and PostgreSQL need not
-- guess the type of a NULL parameter.

-- name: export-responses
SELECT r.id, r.finished_at, r.local_day, u.code, u.name, COALESCE(s.code, ''), COALESCE(s.name, ''),
       r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9,
       COALESCE(r.jenis_kelamin, ''), r.usia, COALESCE(r.pendidikan, ''), COALESCE(r.pekerjaan, ''),
       COALESCE(r.perbaikan, ''), COALESCE(r.saran, ''), COALESCE(r.lainnya, '')
FROM responses r
JOIN units u ON u.id = r.unit_id
LEFT JOIN services s ON s.id = r.service_id
WHERE r.status = 'complete' AND r.local_day BETWEEN ? AND ?
ORDER BY r.finished_at, r.id;

-- name: export-responses-of-unit
SELECT r.id, r.finished_at, r.local_day, u.code, u.name, COALESCE(s.code, ''), COALESCE(s.name, ''),
       r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9,
       COALESCE(r.jenis_kelamin, ''), r.usia, COALESCE(r.pendidikan, ''), COALESCE(r.pekerjaan, ''),
       COALESCE(r.perbaikan, ''), COALESCE(r.saran, ''), COALESCE(r.lainnya, '')
FROM responses r
JOIN units u ON u.id = r.unit_id
LEFT JOIN services s ON s.id = r.service_id
WHERE r.status = 'complete' AND r.local_day BETWEEN ? AND ? AND r.unit_id = ?
ORDER BY r.finished_at, r.id;

-- name: export-responses-of-service
SELECT r.id, r.finished_at, r.local_day, u.code, u.name, COALESCE(s.code, ''), COALESCE(s.name, ''),
       r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9,
       COALESCE(r.jenis_kelamin, ''), r.usia, COALESCE(r.pendidikan, ''), COALESCE(r.pekerjaan, ''),
       COALESCE(r.perbaikan, ''), COALESCE(r.saran, ''), COALESCE(r.lainnya, '')
FROM responses r
JOIN units u ON u.id = r.unit_id
LEFT JOIN services s ON s.id = r.service_id
WHERE r.status = 'complete' AND r.local_day BETWEEN ? AND ? AND r.unit_id = ? AND r.service_id = ?
ORDER BY r.finished_at, r.id;
