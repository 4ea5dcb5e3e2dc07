-- name: insert-response
INSERT INTO responses (session_id, respondent_id, unit_id, service_id, visit_token, flow_id, flow_version, status,
                       finished_at, local_day, u1, u2, u3, u4, u5, u6, u7, u8, u9,
                       jenis_kelamin, usia, pendidikan, pekerjaan, saran, perbaikan, lainnya)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: find-response-status-of-visit
SELECT status FROM responses WHERE visit_token = ?;
