-- Aggregates of complete responses for the IKM: per-element sums and counts computed by the
-- database, never by loading rows. Every query filters on a local_day range (YYYYMMDD,
-- inclusive) and carries the marker /*filter*/, which aggregates.go replaces at call time with
-- the optional unit and service conditions. The element columns always come last, in the order
-- respondents, s1, n1, ..., s9, n9. A respondent is a complete response that scored at least one
-- element (scoring.Scored): one that skipped them all adds nothing to the index and is not
-- counted, in the tallies or in the profile, and a group of only such responses is no group.
-- The tallies count them with COUNT(COALESCE(...)) rather than filter them out, which would
-- cost a check of nine columns on every row scanned (about a tenth more time over a million
-- responses). Keep question marks out of comments: Rebind rewrites them.

-- name: aggregate-tally
SELECT COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) AS respondents,
       COALESCE(SUM(r.u1), 0), COUNT(r.u1), COALESCE(SUM(r.u2), 0), COUNT(r.u2),
       COALESCE(SUM(r.u3), 0), COUNT(r.u3), COALESCE(SUM(r.u4), 0), COUNT(r.u4),
       COALESCE(SUM(r.u5), 0), COUNT(r.u5), COALESCE(SUM(r.u6), 0), COUNT(r.u6),
       COALESCE(SUM(r.u7), 0), COUNT(r.u7), COALESCE(SUM(r.u8), 0), COUNT(r.u8),
       COALESCE(SUM(r.u9), 0), COUNT(r.u9)
FROM responses r
WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/;

-- name: aggregate-tally-by-service
-- Responses without a service form one group with id 0.
SELECT COALESCE(r.service_id, 0), COALESCE(MIN(s.code), ''), COALESCE(MIN(s.name), ''),
       COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) AS respondents,
       COALESCE(SUM(r.u1), 0), COUNT(r.u1), COALESCE(SUM(r.u2), 0), COUNT(r.u2),
       COALESCE(SUM(r.u3), 0), COUNT(r.u3), COALESCE(SUM(r.u4), 0), COUNT(r.u4),
       COALESCE(SUM(r.u5), 0), COUNT(r.u5), COALESCE(SUM(r.u6), 0), COUNT(r.u6),
       COALESCE(SUM(r.u7), 0), COUNT(r.u7), COALESCE(SUM(r.u8), 0), COUNT(r.u8),
       COALESCE(SUM(r.u9), 0), COUNT(r.u9)
FROM responses r LEFT JOIN services s ON s.id = r.service_id
WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/
GROUP BY r.service_id
HAVING COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) > 0;

-- name: aggregate-tally-by-unit
SELECT r.unit_id, MIN(u.code), MIN(u.name),
       COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) AS respondents,
       COALESCE(SUM(r.u1), 0), COUNT(r.u1), COALESCE(SUM(r.u2), 0), COUNT(r.u2),
       COALESCE(SUM(r.u3), 0), COUNT(r.u3), COALESCE(SUM(r.u4), 0), COUNT(r.u4),
       COALESCE(SUM(r.u5), 0), COUNT(r.u5), COALESCE(SUM(r.u6), 0), COUNT(r.u6),
       COALESCE(SUM(r.u7), 0), COUNT(r.u7), COALESCE(SUM(r.u8), 0), COUNT(r.u8),
       COALESCE(SUM(r.u9), 0), COUNT(r.u9)
FROM responses r JOIN units u ON u.id = r.unit_id
WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/
GROUP BY r.unit_id
HAVING COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) > 0;

-- name: aggregate-tally-by-period
-- The period key is integer arithmetic on local_day, identical on both databases:
-- month 202601, quarter 20261 (year*10 + 1..4), semester 20261 (year*10 + 1..2), year 2026.
SELECT CASE CAST(? AS TEXT)
         WHEN 'month' THEN r.local_day / 100
         WHEN 'quarter' THEN (r.local_day / 10000) * 10 + ((r.local_day / 100) % 100 - 1) / 3 + 1
         WHEN 'semester' THEN (r.local_day / 10000) * 10 + ((r.local_day / 100) % 100 - 1) / 6 + 1
         ELSE r.local_day / 10000
       END AS period,
       COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) AS respondents,
       COALESCE(SUM(r.u1), 0), COUNT(r.u1), COALESCE(SUM(r.u2), 0), COUNT(r.u2),
       COALESCE(SUM(r.u3), 0), COUNT(r.u3), COALESCE(SUM(r.u4), 0), COUNT(r.u4),
       COALESCE(SUM(r.u5), 0), COUNT(r.u5), COALESCE(SUM(r.u6), 0), COUNT(r.u6),
       COALESCE(SUM(r.u7), 0), COUNT(r.u7), COALESCE(SUM(r.u8), 0), COUNT(r.u8),
       COALESCE(SUM(r.u9), 0), COUNT(r.u9)
FROM responses r
WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/
GROUP BY 1
HAVING COUNT(COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9)) > 0
ORDER BY 1;

-- name: aggregate-profile
-- One pass over the filtered rows, counted four ways. NULL and '' both mean not answered.
WITH f AS (
    SELECT r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan
    FROM responses r
    WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/
      AND COALESCE(r.u1, r.u2, r.u3, r.u4, r.u5, r.u6, r.u7, r.u8, r.u9) IS NOT NULL
)
SELECT 'jenis_kelamin' AS dimension, COALESCE(jenis_kelamin, '') AS k, COUNT(*) AS n FROM f GROUP BY jenis_kelamin
UNION ALL
SELECT 'pendidikan', COALESCE(pendidikan, ''), COUNT(*) FROM f GROUP BY pendidikan
UNION ALL
SELECT 'pekerjaan', COALESCE(pekerjaan, ''), COUNT(*) FROM f GROUP BY pekerjaan
UNION ALL
-- The age bands are scoring.AgeBands (TestProfileAgeBandsAreScorings checks every age).
SELECT 'usia',
       CASE WHEN usia IS NULL THEN ''
            WHEN usia < 15 THEN '<15'
            WHEN usia < 25 THEN '15–24'
            WHEN usia < 35 THEN '25–34'
            WHEN usia < 45 THEN '35–44'
            WHEN usia < 55 THEN '45–54'
            WHEN usia < 65 THEN '55–64'
            ELSE '≥65'
       END,
       COUNT(*)
FROM f GROUP BY 2;
