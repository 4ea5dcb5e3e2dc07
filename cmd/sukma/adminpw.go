package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"

	"sukma/storage"
	"sukma/web/admin"
)

const adminUsage = `Penggunaan: sukma admin reset-password [--config sukma.yaml] NAMA
  beri akun admin NAMA kata sandi pertama baru, ditampilkan sekali, yang harus diganti saat
  masuk; sesi akun itu di setiap peramban berakhir. Untuk admin yang lupa kata sandinya.`

// runAdmin is "sukma admin reset-password NAME": the way back in for an admin who lost their
// password when no other province admin can make their account again.
func runAdmin(ctx context.Context, args []string, io stdio) int {
	args, ok := onlySubcommand(args, "reset-password")
	if !ok {
		fmt.Fprintln(io.err, adminUsage)
		return 2
	}
	fs := flag.NewFlagSet("sukma admin reset-password", flag.ContinueOnError)
	fs.SetOutput(io.err)
	configPath := configFlag(fs)
	flagsUsage(fs, adminUsage)
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "sukma admin reset-password: sebutkan satu nama akun, misalnya: sukma admin reset-password admin")
		return 2
	}
	username := fs.Arg(0)
	cfg, err := loadConfig(*configPath)
	if err != nil {
		reportConfig(io.err, err)
		return 1
	}
	db, ok := openExistingDatabase(ctx, "admin reset-password", cfg, io)
	if !ok {
		return 1
	}
	defer db.Close()
	a, err := db.FindAdminByUsername(ctx, username)
	if errors.Is(err, storage.ErrNotFound) {
		fmt.Fprintf(io.err, "sukma admin reset-password: tidak ada akun %q.%s\n", username, accountNames(ctx, db))
		return 1
	}
	password := newFirstPassword()
	var hash string
	if err == nil {
		hash, err = admin.HashPassword(password)
	}
	if err == nil {
		err = db.SetAdminPassword(ctx, a.ID, hash, true)
	}
	if err == nil {
		err = db.DeleteOtherAdminSessions(ctx, a.ID, "") // every browser signs in again
	}
	if err != nil {
		fmt.Fprintf(io.err, "sukma admin reset-password: %v\n", err)
		return 1
	}
	fmt.Fprintf(io.out, "Kata sandi pertama baru untuk %q (hanya ditampilkan sekali):\n\n      %s\n\n"+
		"Masuk ke %s/admin/ dengan kata sandi itu; Sukma meminta menggantinya saat itu juga.\n", a.Username, password, cfg.PublicURL)
	return 0
}

// accountNames lists the accounts there are, for a name that is not one of them.
func accountNames(ctx context.Context, db *storage.DB) string {
	all, err := db.FindAdmins(ctx)
	if err != nil || len(all) == 0 {
		return ""
	}
	s := " Akun yang ada:"
	for _, a := range all {
		s += " " + a.Username
	}
	return s
}

// newFirstPassword is 16 random characters, to be typed once and changed at once.
func newFirstPassword() string {
	b := make([]byte, 12)
	rand.Read(b) // crypto/rand does not fail on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
