package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestFirstStartSaysHowToLogIn(t *testing.T) {
	const url = "https://survei.example.go.id"
	tests := []struct {
		name       string
		adminToken string
		// want and notWant are what the first start prints and must not; a second start
		// prints nothing.
		want    []string
		notWant []string
	}{
		{
			name: "a generated token is printed once, with the admin URL and account",
			want: []string{"Token admin (simpan, hanya ditampilkan sekali)", "Masuk ke " + url + "/admin/ sebagai \"admin\"", "Authorization: Bearer"},
		},
		{
			name:       "a token from the settings is named, never printed",
			adminToken: "rahasia-dari-operator",
			want: []string{"Masuk ke " + url + "/admin/ sebagai \"admin\"", "SUKMA_ADMIN_TOKEN (admin_token) sebagai kata sandi pertama",
				"Authorization: Bearer"},
			notWant: []string{"rahasia-dari-operator", "Token admin (simpan"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				var first, second bytes.Buffer
				token, _, err := bootstrap(context.Background(), db, tt.adminToken, url, &first, discardLogger)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				if tt.adminToken == "" {
					want = append(want[:len(want):len(want)], "\n      "+token+"\n")
				} else if token != tt.adminToken {
					t.Errorf("token = %q, want the configured one", token)
				}
				for _, w := range want {
					if !strings.Contains(first.String(), w) {
						t.Errorf("first start printed:\n%s\nwant it to contain %q", first.String(), w)
					}
				}
				for _, w := range tt.notWant {
					if strings.Contains(first.String(), w) {
						t.Errorf("first start printed:\n%s\nwant it not to contain %q", first.String(), w)
					}
				}
				if _, _, err := bootstrap(context.Background(), db, tt.adminToken, url, &second, discardLogger); err != nil {
					t.Fatal(err)
				}
				if second.Len() != 0 {
					t.Errorf("second start printed %q, want nothing", second.String())
				}
			})
		})
	}
}

// Replicas may start together on an empty database: every one of them gets through the first
// start, one installing the built-in flow and the demo unit, the others finding them.
func TestReplicasStartingTogetherAllStart(t *testing.T) {
	u := storagetest.PostgresURL(t)
	const replicas = 6
	dbs := make([]*storage.DB, replicas)
	for i := range dbs {
		dbs[i] = storagetest.Open(t, u)
	}
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() {
			_, _, errs[i] = bootstrap(context.Background(), db, "token-bersama-123", "https://x.example", io.Discard, discardLogger)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
}

// The README's first survey names the unit DEMO: the first start makes it even when `sukma
// demo seed` ran before it and left its own DEMO-… units.
func TestTheFirstStartAfterADemoSeedStillMakesTheDemoUnit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 2, Months: 1, Responses: 1, Seed: 1, Now: db.Now(), Location: time.UTC}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindUnitByCode(ctx, "DEMO"); err == nil {
			t.Fatal("the demo seed made DEMO itself: the test proves nothing")
		}
		for range 2 { // and a second start does not trip over it
			if _, _, err := bootstrap(ctx, db, "", "http://localhost:8080", io.Discard, discardLogger); err != nil {
				t.Fatal(err)
			}
		}
		if u, err := db.FindUnitByCode(ctx, "DEMO"); err != nil || u.Name != "Unit Layanan Contoh" {
			t.Errorf("after the first start, DEMO = %+v, %v", u, err)
		}
	})
}
