package admin

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/digest"
	"sukma/storage"
)

// A digest's dashboard link opens the dashboard at the digest's period and scope, where it
// shows the digest's IKM: a unit's week and month, an agency's month, the province's quarter.
func TestADigestsLinkOpensTheDashboardAtItsFigures(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		duk, _, _ := headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		ctx := context.Background()
		units, err := db.FindUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, jakarta) }
		svc := &digest.Service{DB: db, Location: jakarta, PublicURL: a.srv.URL}
		dinkes := agencyID(t, db, "DINKES")
		for _, tt := range []struct {
			name   string
			sub    storage.Subscriber
			p      digest.Period
			period string // as the dashboard names it
		}{
			{"a unit's week", storage.Subscriber{UnitID: &duk.ID, UnitCode: duk.Code, UnitName: duk.Name}, digest.Period{From: day(11, 16), To: day(11, 22)}, "16–22 Nov 2026"},
			{"a unit's month", storage.Subscriber{UnitID: &duk.ID, UnitCode: duk.Code, UnitName: duk.Name}, digest.Period{From: day(11, 1), To: day(11, 30)}, "November 2026"},
			{"an agency's month", storage.Subscriber{AgencyID: &dinkes, AgencyCode: "DINKES"}, digest.Period{From: day(11, 1), To: day(11, 30)}, "November 2026"},
			{"the province's quarter", storage.Subscriber{}, digest.Period{From: day(10, 1), To: day(12, 31)}, "Triwulan IV 2026"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				tt.sub.Schedule, tt.sub.Language = digest.DefaultSchedule, "id"
				d, err := svc.Load(ctx, tt.sub, units, tt.p)
				if err != nil {
					t.Fatal(err)
				}
				m := regexp.MustCompile(`IKM (\d+,\d\d)`).FindStringSubmatch(digest.Text(d, "id"))
				if m == nil || !strings.HasPrefix(d.Dashboard, a.srv.URL+"/admin/?") {
					t.Fatalf("digest: IKM %q, link %q", m, d.Dashboard)
				}
				_, _, body := a.get(strings.TrimPrefix(d.Dashboard, a.srv.URL))
				period, _, _, notes := shown(t, body)
				ikm := regexp.MustCompile(`<div class="value" id="ikm-value">([^<]*)</div>`).FindStringSubmatch(body)
				if period != tt.period || ikm == nil || ikm[1] != m[1] || notes != nil {
					t.Errorf("%s opens %q with IKM %q, notes %q; want %q with the digest's %s", d.Dashboard, period, ikm, notes, tt.period, m[1])
				}
			})
		}
	})
}
