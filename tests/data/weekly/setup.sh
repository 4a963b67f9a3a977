# The weekly fixture (tests 030-039): ingest the files, then write what
# sales-assign, sales-stage, sales-forecast and sales-voc would have
# written (lead owners, stage events, snapshots, tasks, voice hits) and
# one news item each for W10 and W09.  Sourced by each case's cmd.
d=$TESTDATA/weekly
sales-ingest -q --db "$DB" "$d"/team.csv "$d"/deals.csv "$d"/act.jsonl \
    "$d"/leads.csv || exit
sqlite3 "$DB" "
UPDATE lead SET rep_id = (SELECT id FROM rep WHERE name = '王芳')
    WHERE id = 'L1';
UPDATE lead SET rep_id = (SELECT id FROM rep WHERE name = '刘洋')
    WHERE id = 'L3';
INSERT INTO stage_event (deal_id, from_stage, to_stage, kind, at, on_date)
VALUES
 ('D5', 'contact', 'demo', 'moved', '2026-02-26T10:00:00+08:00', '2026-02-26'),
 ('D1', 'needs', 'demo', 'moved', '2026-03-03T10:00:00+08:00', '2026-03-03'),
 ('D3', 'contact', 'needs', 'moved', '2026-03-04T10:00:00+08:00', '2026-03-04'),
 ('D5', 'demo', 'needs', 'moved', '2026-03-05T10:00:00+08:00', '2026-03-05'),
 ('D2', 'contract', 'won', 'moved', '2026-03-05T11:00:00+08:00', '2026-03-05'),
 ('D3', 'needs', 'quote', 'forced', '2026-03-06T10:00:00+08:00', '2026-03-06'),
 ('D4', 'quote', 'lost', 'moved', '2026-03-06T11:00:00+08:00', '2026-03-06'),
 ('D1', 'demo', 'qualify', 'blocked', '2026-03-07T10:00:00+08:00',
  '2026-03-07');
INSERT INTO forecast (as_of, rules, deal_id, probability, amount_fen,
    expected_fen, basis) VALUES
 ('2026-02-27', 'r1', 'D1', 30, 100000000, 30000000, '{}'),
 ('2026-02-27', 'r1', 'D2', 90, 50000000, 45000000, '{}'),
 ('2026-02-27', 'r1', 'D5', 10, 30000000, 3000000, '{}'),
 ('2026-03-06', 'r1', 'D1', 40, 100000000, 40000000, '{}'),
 ('2026-03-06', 'r1', 'D3', 25, 80000000, 20000000, '{}'),
 ('2026-03-06', 'r1', 'D5', 20, 30000000, 6000000, '{}'),
 ('2026-03-10', 'r1', 'D1', 90, 100000000, 90000000, '{}');
INSERT INTO task (rep_id, title, created_on, due_on, status) VALUES
 ((SELECT id FROM rep WHERE name = '王芳'), 'T1', '2026-03-01',
  '2026-03-04', 'open'),
 ((SELECT id FROM rep WHERE name = '王芳'), 'T2', '2026-03-01',
  '2026-03-06', 'done'),
 ((SELECT id FROM rep WHERE name = '张伟'), 'T3', '2026-03-01',
  '2026-03-09', 'open'),
 ((SELECT id FROM rep WHERE name = '刘洋'), 'T4', '2026-02-10',
  '2026-02-20', 'open'),
 ((SELECT id FROM rep WHERE name = '张伟'), 'T5', '2026-03-01',
  '2026-03-05', 'cancelled');
INSERT INTO voc_hit (activity_id, rule_id, tag, span, char_offset,
    char_length, ruleset, current, at) VALUES
 ('A1', 'v1', '价格敏感', '价格高', 8, 3, 's', 1, '2026-03-09'),
 ('A3', 'v1', '价格敏感', '报价', 0, 2, 's', 1, '2026-03-09'),
 ('A3', 'v2', '审批流程', '领导审批', 7, 4, 's', 1, '2026-03-09'),
 ('A1', 'v3', '售后关注', '现场', 0, 2, 's', 0, '2026-03-09'),
 ('A5', 'v1', '价格敏感', '价格偏高', 5, 4, 's', 1, '2026-03-02');
INSERT INTO news (id, source, title, on_date, week) VALUES
 ('N1', '友商快讯', '某友商发布新款激光切割机', '2026-03-03', '2026-W10'),
 ('N2', '友商快讯', '某友商上月降价', '2026-02-24', '2026-W09');
" || exit
