package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"sukma/flows"
	"sukma/storage"
)

// bootstrap prepares a database on first start: the built-in SKM flow, a demo unit, the
// admin token (unless configured) and the pseudonym secret. It is idempotent, so every start
// runs it; on first start it says on w where and how to log in, once.
func bootstrap(ctx context.Context, db *storage.DB, adminToken, publicURL string, w io.Writer) (token string, secret []byte, err error) {
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

	token = adminToken
	if token != "" {
		// A token generated on an earlier start is dropped once the operator chooses one (to
		// rotate a token that leaked, say): left out again later, the setting brings a new
		// token, printed once, never the old one back.
		if err := db.DeleteSetting(ctx, "admin_token"); err != nil {
			return "", nil, err
		}
	}
	if token != "" && first {
		// The operator chose the token: name where it is set, never print it.
		fmt.Fprintf(w, "\n  Sukma siap. Masuk ke %s/admin/ sebagai \"admin\" dengan token admin dari\n"+
			"  SUKMA_ADMIN_TOKEN (admin_token) sebagai kata sandi pertama.\n"+
			"  Token yang sama dipakai untuk API: Authorization: Bearer <token>.\n\n", publicURL)
	}
	if token == "" {
		var created bool
		token, created, err = db.EnsureSetting(ctx, "admin_token", func() string { return randomHex(24) })
		if err != nil {
			return "", nil, err
		}
		if created {
			fmt.Fprintf(w, "\n  Sukma siap. Token admin (simpan, hanya ditampilkan sekali):\n\n      %s\n\n"+
				"  Masuk ke %s/admin/ sebagai \"admin\" dengan token itu sebagai kata sandi pertama.\n"+
				"  Token yang sama dipakai untuk API: Authorization: Bearer <token>.\n\n", token, publicURL)
		}
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
