package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"sukma/flows"
	"sukma/storage"
)

// bootstrap prepares a database on first start: the built-in SKM flow, a demo unit, the
// admin token (see adminToken) and the pseudonym secret. It is idempotent, so every start
// runs it; on first start it says on w where and how to log in, once, and on logger what an
// operator must fix.
func bootstrap(ctx context.Context, db *storage.DB, configuredToken, publicURL string, w io.Writer, logger *slog.Logger) (token string, secret []byte, err error) {
	if _, err := db.FindLatestFlow(ctx, "skm"); errors.Is(err, storage.ErrNotFound) {
		_, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "sukma")
		if err != nil && !errors.Is(err, storage.ErrConflict) { // a conflict: another replica installed it
			return "", nil, fmt.Errorf("memasang alur bawaan: %w", err)
		}
	} else if err != nil {
		return "", nil, err
	}

	// The pseudonym secret is made once per database: its making is the first start.
	hexSecret, first, err := db.EnsureSetting(ctx, "pseudonym_secret", func() string { return randomHex(32) })
	if err != nil {
		return "", nil, err
	}

	// The demo unit the README's first survey names, on the first start even after
	// `sukma demo seed` (whose units are DEMO-…), and on any start with no unit at all.
	units, err := db.FindUnits(ctx)
	if err != nil {
		return "", nil, err
	}
	if first || len(units) == 0 {
		_, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Layanan Contoh", Agency: "DEMO", AgencyName: "Instansi Contoh", Population: 1000})
		if err != nil && !errors.Is(err, storage.ErrConflict) {
			return "", nil, fmt.Errorf("membuat unit demo: %w", err)
		}
	}
	if secret, err = hex.DecodeString(hexSecret); err != nil {
		return "", nil, fmt.Errorf("pseudonym_secret yang tersimpan bukan heksadesimal: %w", err)
	}

	if token, err = adminToken(ctx, db, configuredToken, publicURL, first, w, logger); err != nil {
		return "", nil, err
	}
	return token, secret, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}
