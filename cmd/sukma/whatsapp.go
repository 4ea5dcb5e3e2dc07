package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/skip2/go-qrcode"

	"sukma/bot/whatsapp"
	"sukma/digest"
)

const whatsappUsage = "Penggunaan: sukma whatsapp pair [--phone 62…] [--config sukma.yaml]"

// phoneNumber is a number in international form: a country code (never 0) and the rest, as
// WhatsApp's phone-code pairing wants it; E.164 has at most 15 digits.
var phoneNumber = regexp.MustCompile(`^[1-9][0-9]{7,14}$`)

// runWhatsApp is `sukma whatsapp pair [--phone 62…]`: it links a WhatsApp account as a
// device of this Sukma, by QR code in the terminal or by a code entered on the phone, and
// stores its keys in Sukma's database.
func runWhatsApp(ctx context.Context, args []string, io stdio) int {
	args, ok := onlySubcommand(args, "pair")
	if !ok {
		fmt.Fprintln(io.err, whatsappUsage)
		return 2
	}
	fs := flag.NewFlagSet("sukma whatsapp pair", flag.ContinueOnError)
	fs.SetOutput(io.err)
	configPath := configFlag(fs)
	phone := fs.String("phone", "", "nomor ponsel `62…`: tautkan dengan kode yang dimasukkan di ponsel itu, bukan dengan kode QR")
	flagsUsage(fs, whatsappUsage)
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	if extraArgs(fs) {
		return 2
	}
	number := digest.NormalAddress("whatsapp", *phone) // 0812… is 62812…, as everywhere
	if number != "" && !phoneNumber.MatchString(number) {
		fmt.Fprintf(io.err, "sukma whatsapp pair: --phone harus nomor dalam bentuk internasional, angka saja, seperti 6281234567890 (tertulis %s)\n", *phone)
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		reportConfig(io.err, err)
		return 1
	}
	logger := newLogger(cfg, io.err)
	db, ok := openExistingDatabase(ctx, "whatsapp pair", cfg, io)
	if !ok {
		return 1
	}
	defer db.Close()
	container, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), logger)
	if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
		fmt.Fprintf(io.err, "sukma whatsapp pair: %s\n", problem)
		return 1
	}
	if err != nil {
		fmt.Fprintf(io.err, "sukma whatsapp pair: penyimpanan perangkat WhatsApp di basis data tidak dapat disiapkan [%v]\n", err)
		return 1
	}
	if number == "" {
		fmt.Fprintln(io.out, "Di ponsel: WhatsApp → Perangkat tertaut → Tautkan perangkat, lalu pindai kode ini:")
	}
	linked, err := whatsapp.Pair(ctx, container, whatsapp.Pairing{
		Phone: number, Logger: logger,
		QR: func(code string) { printQR(io.out, code) },
		Code: func(code string) {
			fmt.Fprintf(io.out, "Di ponsel %s: buka notifikasi WhatsApp (atau Perangkat tertaut → Tautkan dengan nomor telepon) dan masukkan kode:\n\n    %s\n\n", whatsapp.Mask(number), code)
		},
	})
	switch {
	case errors.Is(err, whatsapp.ErrAlreadyPaired):
		fmt.Fprintf(io.out, "Akun WhatsApp %s sudah tertaut. Untuk menautkan akun lain, hapus perangkat \"Sukma\" di ponsel (Perangkat tertaut), tunggu sebentar, lalu jalankan lagi.\n", whatsapp.Mask(linked))
		return 0
	case errors.Is(err, whatsapp.ErrPairTimeout):
		fmt.Fprintln(io.err, "sukma whatsapp pair: waktu habis: kode belum dipindai atau dimasukkan di ponsel; jalankan lagi")
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(io.err, "sukma whatsapp pair: dihentikan; belum tertaut")
		return 1
	case err != nil:
		if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
			fmt.Fprintf(io.err, "sukma whatsapp pair: %s\n", problem)
		} else {
			fmt.Fprintf(io.err, "sukma whatsapp pair: penautan gagal [%v]\n", err)
		}
		return 1
	}
	fmt.Fprintf(io.out, "Tertaut: %s. Jalankan sukma serve dengan SUKMA_WHATSAPP_ENABLED=true.\n", whatsapp.Mask(linked))
	return 0
}

// printQR draws a QR code with half blocks, two rows of modules per line, light modules
// drawn (for dark terminals) with a quiet zone around.
func printQR(w io.Writer, text string) {
	q, err := qrcode.New(text, qrcode.Low)
	if err != nil {
		fmt.Fprintln(w, text)
		return
	}
	fmt.Fprint(w, renderQR(q.Bitmap()))
}

// renderQR turns a bitmap (true = dark; go-qrcode includes the quiet zone) into lines of
// half-block characters, light drawn.
func renderQR(bits [][]bool) string {
	var b strings.Builder
	light := func(y, x int) bool { return y >= len(bits) || !bits[y][x] }
	for y := 0; y < len(bits); y += 2 {
		for x := range bits[y] {
			top, bottom := light(y, x), light(y+1, x)
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
