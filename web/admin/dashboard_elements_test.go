package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// An IKM computed from fewer than the nine elements (a flow without one) says so on the
// dashboard, as the report and the digests do, and an element not every respondent
// answered says how many did: its NRR stands on them alone.
func TestTheDashboardSaysWhenTheIKMHasFewerElements(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		db.Now = func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
		u, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUK", Name: "Dukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		one, three, four := 1, 3, 4
		// Two respondents of a flow without U4, a third answering U4 only.
		withoutU4 := [9]*int{&three, &three, &three, nil, &four, &four, &four, &four, &four}
		addScores(t, db, u.ID, nil, 20261110, "a", withoutU4)
		addScores(t, db, u.ID, nil, 20261111, "b", withoutU4)
		addScores(t, db, u.ID, nil, 20261112, "c", [9]*int{3: &one})
		a := newTestAdmin(t, db, Deps{})

		_, _, body := a.get("/admin/?period=2026-11")
		for _, want := range []string{"1,00 <span class=\"muted\">(1 dari 3 responden)</span>", "(2 dari 3 responden)"} {
			if !strings.Contains(body, want) {
				t.Errorf("the elements answered by some say %q: not found in\n%s", want, between(body, `id="elements"`, `</div></div>`))
			}
		}
		if strings.Contains(body, "ikm-fewer") {
			t.Errorf("every element has an answer, yet the IKM is said to have fewer")
		}

		addScores(t, db, u.ID, nil, 20261001, "d", withoutU4) // October: no U4 at all
		_, _, body = a.get("/admin/?period=2026-10")
		want := "Dihitung dari 8 unsur (tanpa U4), bukan sembilan unsur PermenPANRB 14/2017."
		if !strings.Contains(body, `id="ikm-fewer">`+want) {
			t.Errorf("October's IKM of eight elements does not say %q", want)
		}
		if !strings.Contains(body, "(8 unsur)") {
			t.Errorf("the unit's row does not say its IKM has 8 elements")
		}
		_, _, body = a.get("/admin/?period=2026-10&lang=en")
		if want := "Computed from 8 elements (without U4), not the nine of PermenPANRB 14/2017."; !strings.Contains(body, want) {
			t.Errorf("the English page does not say %q", want)
		}
		if !strings.Contains(body, "U9 Facilities and Infrastructure") {
			t.Errorf("the English page names the elements in Indonesian:\n%s", between(body, `id="elements"`, `</div></div>`))
		}
	})
}

// between is the part of s from the first from to the next to after it, for messages.
func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	part, _, _ := strings.Cut(rest, to)
	return part
}

// A server whose survey links name its own loopback address (SUKMA_PUBLIC_URL not set) says
// so on the pages that make links and QR codes, before posters go to the printer.
func TestLinkPagesWarnOfLinksPhonesCannotOpen(t *testing.T) {
	for _, local := range []bool{true, false} {
		db := storagetest.SQLite(t)
		if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUK", Name: "Dukcapil"}); err != nil {
			t.Fatal(err)
		}
		a := newTestAdmin(t, db, Deps{PublicURL: "http://127.0.0.1:8080", LocalLinks: local})
		for _, path := range []string{"/admin/units", "/admin/units/DUK", "/admin/units/DUK/poster", "/admin/channels"} {
			_, _, body := a.get(path)
			warned := strings.Contains(body, "SUKMA_PUBLIC_URL belum diisi, jadi tautan survei dan kode QR memakai http://127.0.0.1:8080")
			if warned != local {
				t.Errorf("%s with local links %v: warned %v", path, local, warned)
			}
		}
		if _, _, body := a.get("/admin/"); strings.Contains(body, "SUKMA_PUBLIC_URL") {
			t.Errorf("the dashboard, which makes no links, warns of them")
		}
	}
}
