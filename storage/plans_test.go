package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// TestOpenSessionLookupsProbeTheirIndexes checks PostgreSQL's plans for the statements that
// find open sessions, in the state where they once went wrong: statistics saying that no
// session is open, and the partial indexes of open sessions still holding an entry for every
// session ended since the last VACUUM. Each statement must probe an index by its key (or the
// primary key), never read a whole index or the table.
func TestOpenSessionLookupsProbeTheirIndexes(t *testing.T) {
	db := storagetest.Postgres(t)
	ctx := context.Background()
	var chats []string
	for i := range 300 {
		chats = append(chats, fmt.Sprint(i))
	}
	sess := openSessions(t, db, chats...)
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for _, s := range sess {
			if err := tx.EndSession(s.ID, storage.SessionCompleted, 3000); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE sessions"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A generic plan is what a prepared statement keeps once it has run a few times.
	if _, err := conn.ExecContext(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query, args string
		whole       string // the one index it may read whole: no key leads to the rows
	}{
		{query: "lock-active-sessions", args: "'{telegram,telegram}', '{1,2}'"},
		{query: "find-active-session", args: "'telegram', '1'"},
		{query: "find-active-session-of-visit", args: "'token'"},
		{query: "end-session", args: "'completed', 1, 1, 1"},
		{query: "move-session", args: "'2', 1, 1"},
		{query: "find-expired-sessions", args: "1"},
		{query: "find-active-sessions-of-unit-flow", args: "1, '~skm~1'", whole: "sessions_expiry"},
	} {
		t.Run(c.query, func(t *testing.T) {
			name := strings.ReplaceAll(c.query, "-", "_")
			if _, err := conn.ExecContext(ctx, "PREPARE "+name+" AS "+db.Unprepared(c.query)); err != nil {
				t.Fatal(err)
			}
			var out []byte
			if err := conn.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) EXECUTE "+name+"("+c.args+")").Scan(&out); err != nil {
				t.Fatal(err)
			}
			var plans []struct{ Plan planNode }
			if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 {
				t.Fatalf("EXPLAIN gave %s (%v)", out, err)
			}
			scans := 0
			plans[0].Plan.walk(func(n planNode) {
				if n.Relation != "sessions" || !strings.HasSuffix(n.Type, "Scan") {
					return
				}
				scans++
				if n.IndexCond == "" && (c.whole == "" || n.Index != c.whole) {
					t.Errorf("%s on sessions (%s) reads every entry, want a probe by key; plan: %s", n.Type, n.Index, out)
				}
			})
			if scans == 0 {
				t.Errorf("the plan reads no sessions: %s", out)
			}
		})
	}
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	Type      string     `json:"Node Type"`
	Relation  string     `json:"Relation Name"`
	Index     string     `json:"Index Name"`
	IndexCond string     `json:"Index Cond"`
	Plans     []planNode `json:"Plans"`
}

func (n planNode) walk(fn func(planNode)) {
	fn(n)
	for _, p := range n.Plans {
		p.walk(fn)
	}
}
