package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"sukma/storage"
)

// The settings that make one admin token hold on every replica of a database. generatedTokenKey
// holds a token Sukma generated, in clear, since every replica serves it; configuredTokenKey
// says that the token comes from SUKMA_ADMIN_TOKEN instead, by its SHA-256, never the token.
const (
	generatedTokenKey  = "admin_token"
	configuredTokenKey = "admin_token_sha256"
)

// errAdminTokenMissing is adminToken's refusal to start without SUKMA_ADMIN_TOKEN on a database
// whose token comes from it.
var errAdminTokenMissing = errors.New("SUKMA_ADMIN_TOKEN (admin_token): tidak diisi, padahal basis data ini memakai token admin dari " +
	"SUKMA_ADMIN_TOKEN (diisi pada replika lain atau pada start sebelumnya): isi SUKMA_ADMIN_TOKEN (atau SUKMA_ADMIN_TOKEN_FILE) " +
	"dengan token yang sama seperti replika lain. Tanpanya replika ini akan memakai token lain, dan API menolak separuh permintaan " +
	"di balik load balancer [SUKMA_ADMIN_TOKEN is not set, but this database's admin token comes from SUKMA_ADMIN_TOKEN: " +
	"set it to the token the other replicas have]")

// adminToken settles the bearer token of the JSON API, the same for every replica of db and
// every start, and returns it.
//
// A configured token (SUKMA_ADMIN_TOKEN) is the token: its hash is stored, so that a replica
// started without the setting refuses to start (errAdminTokenMissing) rather than serve a
// token of its own, and a token generated before is dropped (a leaked one rotated), never to
// come back. A hash stored before that differs means that another replica, or an earlier start,
// has another token: a rotation goes replica by replica, so this one is kept, with a warning.
//
// Without a configured token, the generated token stored is the token, or, when the database
// has none and never had a configured one, a new one, said on w with how to log in, once.
func adminToken(ctx context.Context, db *storage.DB, configured, publicURL string, first bool, w io.Writer, logger *slog.Logger) (string, error) {
	if configured != "" {
		return useConfiguredToken(ctx, db, configured, publicURL, first, w, logger)
	}
	if err := refuseIfConfigured(ctx, db); err != nil {
		return "", err
	}
	token, created, err := db.EnsureSetting(ctx, generatedTokenKey, func() string { return randomHex(24) })
	if err != nil {
		return "", err
	}
	// A replica with the setting starting at this very moment stores its hash first, then drops
	// the generated token: looking again after storing one tells.
	if err := refuseIfConfigured(ctx, db); err != nil {
		if created {
			// Nobody was told this token: left behind, it would be served by a later start
			// without ever being printed.
			if derr := db.DeleteSetting(ctx, generatedTokenKey); derr != nil {
				return "", errors.Join(err, derr)
			}
		}
		return "", err
	}
	if created {
		fmt.Fprintf(w, "\n  Sukma siap. Token admin (simpan, hanya ditampilkan sekali):\n\n      %s\n\n"+
			"  Masuk ke %s/admin/ sebagai \"admin\" dengan token itu sebagai kata sandi pertama.\n"+
			"  Token yang sama dipakai untuk API: Authorization: Bearer <token>.\n\n", token, publicURL)
	}
	return token, nil
}

// refuseIfConfigured returns errAdminTokenMissing if the database's token is a configured one.
func refuseIfConfigured(ctx context.Context, db *storage.DB) error {
	_, err := db.Setting(ctx, configuredTokenKey)
	switch {
	case err == nil:
		return errAdminTokenMissing
	case errors.Is(err, storage.ErrNotFound):
		return nil
	default:
		return err
	}
}

func useConfiguredToken(ctx context.Context, db *storage.DB, token, publicURL string, first bool, w io.Writer, logger *slog.Logger) (string, error) {
	sum := sha256.Sum256([]byte(token))
	hash := hex.EncodeToString(sum[:])
	// The hash goes in before the generated token goes out: a replica without the setting,
	// starting meanwhile, then either refuses or left its token for the check below to see.
	stored, _, err := db.EnsureSetting(ctx, configuredTokenKey, func() string { return hash })
	if err != nil {
		return "", err
	}
	if stored != hash {
		logger.Warn("SUKMA_ADMIN_TOKEN berbeda dengan token admin replika lain atau start sebelumnya: setiap replika hanya menerima "+
			"tokennya sendiri, dan API menolak sebagian permintaan di balik load balancer. Bila token sengaja diganti, mulai ulang "+
			"semua replika dengan token baru; bila tidak, samakan SUKMA_ADMIN_TOKEN di semua replika "+
			"[SUKMA_ADMIN_TOKEN differs from the one another replica or an earlier start used: give every replica the same token]",
			slog.String("setting", "SUKMA_ADMIN_TOKEN"))
		if err := db.PutSetting(ctx, configuredTokenKey, hash); err != nil {
			return "", err
		}
	}
	// A token generated before is dropped once the operator chooses one (to rotate a token that
	// leaked, say): never served again.
	if _, err := db.Setting(ctx, generatedTokenKey); err == nil {
		if err := db.DeleteSetting(ctx, generatedTokenKey); err != nil {
			return "", err
		}
		logger.Warn("token admin buatan Sukma tidak berlaku lagi: SUKMA_ADMIN_TOKEN menggantikannya. Replika yang masih berjalan "+
			"tanpa SUKMA_ADMIN_TOKEN tetap menerima token lama sampai dihentikan (dan menolak mulai lagi tanpanya): isi SUKMA_ADMIN_TOKEN "+
			"yang sama di semua replika [the generated admin token is replaced by SUKMA_ADMIN_TOKEN; give every replica the same one]",
			slog.String("setting", "SUKMA_ADMIN_TOKEN"))
	} else if !errors.Is(err, storage.ErrNotFound) {
		return "", err
	}
	if first {
		// The operator chose the token: name where it is set, never print it.
		fmt.Fprintf(w, "\n  Sukma siap. Masuk ke %s/admin/ sebagai \"admin\" dengan token admin dari\n"+
			"  SUKMA_ADMIN_TOKEN (admin_token) sebagai kata sandi pertama.\n"+
			"  Token yang sama dipakai untuk API: Authorization: Bearer <token>.\n\n", publicURL)
	}
	return token, nil
}
