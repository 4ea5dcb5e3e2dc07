package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// env is an environment of the variables in m, set even when empty (as os.LookupEnv sees them).
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if c.DatabaseURL != "sqlite:./data/sukma.db" || c.HTTPAddr != ":8080" || c.Timezone != "Asia/Jakarta" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.PublicURL != "http://localhost:8080" {
		t.Errorf("PublicURL = %q, want it derived from the listen address", c.PublicURL)
	}
}

func TestEnvironmentOverridesFile(t *testing.T) {
	path := writeFile(t, "sukma.yaml", "http_addr: 127.0.0.1:9000\ntimezone: Asia/Makassar\nwhatsapp_enabled: true\n")
	c, err := Load(path, env(map[string]string{"SUKMA_HTTP_ADDR": ":9100"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":9100" || c.Timezone != "Asia/Makassar" || !c.WhatsAppEnabled {
		t.Errorf("got %+v", c)
	}
}

func TestSecretsComeFromFiles(t *testing.T) {
	secret := writeFile(t, "token", "  s3cret\n")
	c, err := Load("", env(map[string]string{"SUKMA_ADMIN_TOKEN_FILE": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AdminToken != "s3cret" {
		t.Errorf("AdminToken = %q", c.AdminToken)
	}
	// Saved by Windows Notepad: a byte-order mark, and CRLF.
	notepad := writeFile(t, "notepad", "\ufeffs3cret-from-windows\r\n")
	if c, err := Load("", env(map[string]string{"SUKMA_ADMIN_TOKEN_FILE": notepad})); err != nil || c.AdminToken != "s3cret-from-windows" {
		t.Errorf("AdminToken from a file with a byte-order mark = %q (%v)", c.AdminToken, err)
	}
	_, err = Load("", env(map[string]string{"SUKMA_ADMIN_TOKEN_FILE": secret, "SUKMA_ADMIN_TOKEN": "x"}))
	if err == nil || !strings.Contains(err.Error(), "sama-sama diisi") {
		t.Errorf("both a value and a file: err = %v", err)
	}
}

func TestWrongSettingsAreNamed(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"a listen address without a port", map[string]string{"SUKMA_HTTP_ADDR": "nonsense"}, `SUKMA_HTTP_ADDR (http_addr): "nonsense" bukan host:port`},
		{"an unknown database scheme", map[string]string{"SUKMA_DATABASE_URL": "mysql://x"}, "SUKMA_DATABASE_URL (database_url): harus diawali sqlite: atau postgres://"},
		{"an unknown time zone", map[string]string{"SUKMA_TIMEZONE": "Mars/Olympus"}, `SUKMA_TIMEZONE (timezone): "Mars/Olympus" bukan zona waktu yang dikenal`},
		{"an unknown Telegram mode", map[string]string{"SUKMA_TELEGRAM_MODE": "push"}, "SUKMA_TELEGRAM_MODE (telegram_mode): harus polling atau webhook"},
		{"webhook mode without a secret", map[string]string{"SUKMA_TELEGRAM_MODE": "webhook", "SUKMA_TELEGRAM_TOKEN": "1:x", "SUKMA_PUBLIC_URL": "https://survei.example.go.id"}, "SUKMA_TELEGRAM_WEBHOOK_SECRET (telegram_webhook_secret): wajib diisi"},
		{"a relative public URL", map[string]string{"SUKMA_PUBLIC_URL": "survei.local"}, "SUKMA_PUBLIC_URL (public_url)"},
		{"an endpoint that is not a template", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "http://x/bot"}, "SUKMA_TELEGRAM_API_ENDPOINT"},
		{"a WhatsApp rate that is not a number", map[string]string{"SUKMA_WHATSAPP_GLOBAL_RATE": "fast"}, `SUKMA_WHATSAPP_GLOBAL_RATE (whatsapp_global_rate): harus jumlah pesan per menit`},
		{"a WhatsApp number with letters", map[string]string{"SUKMA_WHATSAPP_NUMBER": "0812-abc"}, "SUKMA_WHATSAPP_NUMBER (whatsapp_number): harus nomor dalam bentuk internasional"},
		{"a Cloud API token without its app secret", map[string]string{"SUKMA_WHATSAPP_CLOUD_TOKEN": "t", "SUKMA_WHATSAPP_CLOUD_PHONE_NUMBER_ID": "1", "SUKMA_WHATSAPP_CLOUD_VERIFY_TOKEN": "v"}, "SUKMA_WHATSAPP_CLOUD_APP_SECRET (whatsapp_cloud_app_secret): wajib diisi"},
		{"both WhatsApp channels at once", map[string]string{"SUKMA_WHATSAPP_ENABLED": "true", "SUKMA_WHATSAPP_CLOUD_TOKEN": "t", "SUKMA_WHATSAPP_CLOUD_PHONE_NUMBER_ID": "1", "SUKMA_WHATSAPP_CLOUD_APP_SECRET": "s", "SUKMA_WHATSAPP_CLOUD_VERIFY_TOKEN": "v"}, "SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): perangkat tertaut dan Cloud API tidak dapat berjalan bersama"},
		{"a Cloud API endpoint that is not a URL", map[string]string{"SUKMA_WHATSAPP_CLOUD_API_ENDPOINT": "graph.local"}, "SUKMA_WHATSAPP_CLOUD_API_ENDPOINT"},
		{"an invitation template name with spaces", map[string]string{"SUKMA_WHATSAPP_CLOUD_INVITE_TEMPLATE": "Undangan Survei"}, "SUKMA_WHATSAPP_CLOUD_INVITE_TEMPLATE (whatsapp_cloud_invite_template): harus nama templat"},
		{"a trusted proxy that is not an address", map[string]string{"SUKMA_TRUSTED_PROXIES": "10.0.0.0/8, lb.internal"}, `SUKMA_TRUSTED_PROXIES (trusted_proxies): "lb.internal" bukan alamat atau rentang CIDR`},
		{"an invitation language that is not a code", map[string]string{"SUKMA_WHATSAPP_CLOUD_INVITE_LANGUAGE": "Indonesia"}, "SUKMA_WHATSAPP_CLOUD_INVITE_LANGUAGE (whatsapp_cloud_invite_language): harus kode bahasa templat"},
		{"a public URL with a query and a fragment", map[string]string{"SUKMA_PUBLIC_URL": "https://x.example/path?q=1#f"}, `SUKMA_PUBLIC_URL (public_url): "https://x.example/path?q=1#f" memuat query atau fragmen`},
		{"a public URL with an empty query", map[string]string{"SUKMA_PUBLIC_URL": "https://x.example/?"}, `SUKMA_PUBLIC_URL (public_url): "https://x.example/?" memuat query atau fragmen`},
		{"a public URL that is not http", map[string]string{"SUKMA_PUBLIC_URL": "ftp://x.example"}, `SUKMA_PUBLIC_URL (public_url): "ftp://x.example" bukan URL http(s) lengkap`},
		{"an endpoint of two placeholders only", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "%s%s"}, `SUKMA_TELEGRAM_API_ENDPOINT (telegram_api_endpoint): harus templat URL dengan dua %s, seperti https://api.telegram.org/bot%s/%s (tertulis "%s%s")`},
		{"an endpoint with the token in its host", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "https://%s.example/%s"}, "SUKMA_TELEGRAM_API_ENDPOINT (telegram_api_endpoint): harus templat URL"},
		{"an endpoint with another verb", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "https://x.example/bot%s/%d/%s"}, "SUKMA_TELEGRAM_API_ENDPOINT (telegram_api_endpoint): harus templat URL"},
		{"an endpoint that is not http", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "ftp://x.example/bot%s/%s"}, "SUKMA_TELEGRAM_API_ENDPOINT (telegram_api_endpoint): harus templat URL"},
		{"a webhook secret with a space", map[string]string{"SUKMA_TELEGRAM_WEBHOOK_SECRET": "bad secret!"}, "SUKMA_TELEGRAM_WEBHOOK_SECRET (telegram_webhook_secret): harus 1 sampai 256 huruf, angka, _ atau -"},
		{"a webhook secret longer than Telegram takes", map[string]string{"SUKMA_TELEGRAM_WEBHOOK_SECRET": strings.Repeat("a", 257)}, "SUKMA_TELEGRAM_WEBHOOK_SECRET (telegram_webhook_secret): harus 1 sampai 256 huruf"},
		{"webhook mode on real Telegram with an http public URL", webhook("http://survei.example.go.id"), `SUKMA_PUBLIC_URL (public_url): harus URL https:// bila telegram_mode webhook: Telegram memanggil webhook hanya lewat HTTPS (tertulis "http://survei.example.go.id")`},
		{"webhook mode on real Telegram with the default public URL", webhook(""), `SUKMA_PUBLIC_URL (public_url): harus URL https:// bila telegram_mode webhook: Telegram memanggil webhook hanya lewat HTTPS (tertulis bawaan "http://localhost:8080")`},
		{"webhook mode on real Telegram with a port Telegram does not call", webhook("https://survei.example.go.id:8080"), "SUKMA_PUBLIC_URL (public_url): harus memakai port 443, 80, 88 atau 8443 bila telegram_mode webhook: Telegram tidak memanggil port lain (tertulis 8080)"},
		{"webhook mode on Telegram's endpoint set explicitly with an http public URL", webhookAt("https://api.telegram.org/bot%s/%s", "http://survei.example.go.id"), "SUKMA_PUBLIC_URL (public_url): harus URL https:// bila telegram_mode webhook"},
		{"the machine's time zone", map[string]string{"SUKMA_TIMEZONE": "Local"}, `SUKMA_TIMEZONE (timezone): "Local" adalah zona waktu mesin: tulis nama zona IANA`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", env(tt.env))
			if err == nil {
				err = c.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			} else if strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line", err)
			}
		})
	}
}

// webhook is the environment of webhook mode on the real Telegram with this public URL.
func webhook(publicURL string) map[string]string { return webhookAt("", publicURL) }

func webhookAt(endpoint, publicURL string) map[string]string {
	return map[string]string{"SUKMA_TELEGRAM_MODE": "webhook", "SUKMA_TELEGRAM_TOKEN": "1:x", "SUKMA_TELEGRAM_WEBHOOK_SECRET": "s3cret_-X",
		"SUKMA_TELEGRAM_API_ENDPOINT": endpoint, "SUKMA_PUBLIC_URL": publicURL}
}

func TestRightSettingsAreAccepted(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		// check looks at the validated config; nil: validating is enough.
		check func(c Config) string
	}{
		{"a public URL with a path and a trailing slash", map[string]string{"SUKMA_PUBLIC_URL": "https://x.example/survei/"}, func(c Config) string {
			return want(c.PublicURL, "https://x.example/survei")
		}},
		{"a self-hosted Bot API endpoint", map[string]string{"SUKMA_TELEGRAM_API_ENDPOINT": "http://127.0.0.1:8081/bot%s/%s"}, nil},
		{"a webhook secret of every allowed character", map[string]string{"SUKMA_TELEGRAM_WEBHOOK_SECRET": "AZaz09_-" + strings.Repeat("x", 248)}, nil},
		{"webhook mode on real Telegram over HTTPS", webhook("https://survei.example.go.id"), nil},
		{"webhook mode on real Telegram on port 8443", webhook("https://survei.example.go.id:8443/sukma"), nil},
		// The load test and the tests run webhook mode against a fake Bot API over http.
		{"webhook mode on a fake Telegram over http", webhookAt("http://127.0.0.1:9999/bot%s/%s", "http://127.0.0.1:18190"), nil},
		{"webhook mode without a bot token: Telegram is off", map[string]string{"SUKMA_TELEGRAM_MODE": "webhook"}, nil},
		{"a zone of eastern Indonesia", map[string]string{"SUKMA_TIMEZONE": "Asia/Jayapura"}, func(c Config) string {
			return want(c.Location.String(), "Asia/Jayapura")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", env(tt.env))
			if err == nil {
				err = c.Validate()
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				if problem := tt.check(c); problem != "" {
					t.Error(problem)
				}
			}
		})
	}
}

func want(got, want string) string {
	if got != want {
		return fmt.Sprintf("got %q, want %q", got, want)
	}
	return ""
}

func TestANullInTheFileIsTheDefault(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		check      func(c Config) string
	}{
		{"a tilde public URL is derived from the listen address", "http_addr: 127.0.0.1:9000\npublic_url: ~\n", nil, func(c Config) string {
			return want(c.PublicURL, "http://127.0.0.1:9000")
		}},
		{"null keeps the default listen address", "http_addr: null\n", nil, func(c Config) string { return want(c.HTTPAddr, ":8080") }},
		{"an empty value keeps the default time zone", "timezone:\n", nil, func(c Config) string { return want(c.Timezone, "Asia/Jakarta") }},
		{"Null keeps the default Telegram mode", "telegram_mode: Null\n", nil, func(c Config) string { return want(c.TelegramMode, "polling") }},
		{"a null flag is false", "whatsapp_enabled: ~\n", nil, func(c Config) string { return want(fmt.Sprint(c.WhatsAppEnabled), "false") }},
		{"a quoted tilde is text", "whatsapp_cloud_verify_token: \"~\"\n", map[string]string{"SUKMA_WHATSAPP_CLOUD_TOKEN": "t", "SUKMA_WHATSAPP_CLOUD_PHONE_NUMBER_ID": "1", "SUKMA_WHATSAPP_CLOUD_APP_SECRET": "s"},
			func(c Config) string { return want(c.WhatsAppCloudVerifyToken, "~") }},
		{"a null does not undo the environment", "admin_token: ~\n", map[string]string{"SUKMA_ADMIN_TOKEN": "from-env-0123456789"}, func(c Config) string { return want(c.AdminToken, "from-env-0123456789") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(writeFile(t, "sukma.yaml", tt.yaml), env(tt.env))
			if err == nil {
				err = c.Validate()
			}
			if err != nil {
				t.Fatal(err)
			}
			if problem := tt.check(c); problem != "" {
				t.Error(problem)
			}
		})
	}
}

func TestTrustedProxiesAreRead(t *testing.T) {
	c, err := Load("", env(map[string]string{"SUKMA_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.10 ,fd00::1, 172.16.5.1/12"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.Proxies {
		got = append(got, p.String())
	}
	if want := "10.0.0.0/8 192.168.1.10/32 fd00::1/128 172.16.0.0/12"; strings.Join(got, " ") != want {
		t.Errorf("Proxies = %v, want %s", got, want)
	}
}

func TestWhatsAppSettingsAreRead(t *testing.T) {
	secret := writeFile(t, "app_secret", "s3cret\n")
	c, err := Load("", env(map[string]string{
		"SUKMA_WHATSAPP_NUMBER": "+62 812 3456 7890", "SUKMA_WHATSAPP_GLOBAL_RATE": "12",
		"SUKMA_WHATSAPP_CLOUD_TOKEN": "tok", "SUKMA_WHATSAPP_CLOUD_PHONE_NUMBER_ID": "1098",
		"SUKMA_WHATSAPP_CLOUD_APP_SECRET_FILE": secret, "SUKMA_WHATSAPP_CLOUD_VERIFY_TOKEN": "ver",
		"SUKMA_WHATSAPP_CLOUD_INVITE_TEMPLATE": "undangan_dinkes", "SUKMA_WHATSAPP_CLOUD_INVITE_LANGUAGE": "en_US",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.WhatsAppNumber != "6281234567890" || c.WhatsAppPerMinute != 12 || !c.WhatsAppCloud() || c.WhatsAppCloudAppSecret != "s3cret" {
		t.Errorf("got number %q, rate %v, cloud %v, app secret %q", c.WhatsAppNumber, c.WhatsAppPerMinute, c.WhatsAppCloud(), c.WhatsAppCloudAppSecret)
	}
	if c.WhatsAppCloudInviteTemplate != "undangan_dinkes" || c.WhatsAppCloudInviteLanguage != "en_US" {
		t.Errorf("invitation template %q in %q, want undangan_dinkes in en_US", c.WhatsAppCloudInviteTemplate, c.WhatsAppCloudInviteLanguage)
	}
	d := Default()
	if err := d.Validate(); err != nil || d.WhatsAppPerMinute != 20 || d.WhatsAppCloud() ||
		d.WhatsAppCloudInviteTemplate != "sukma_undangan_survei" || d.WhatsAppCloudInviteLanguage != "id" {
		t.Errorf("defaults: rate %v, cloud %v, invitation %q in %q, err %v; want 20 a minute, no Cloud API, sukma_undangan_survei in id",
			d.WhatsAppPerMinute, d.WhatsAppCloud(), d.WhatsAppCloudInviteTemplate, d.WhatsAppCloudInviteLanguage, err)
	}
}

func TestABadBooleanInTheEnvironmentIsNamed(t *testing.T) {
	_, err := Load("", env(map[string]string{"SUKMA_WHATSAPP_ENABLED": "ya"}))
	if err == nil || err.Error() != `SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): "ya" bukan true atau false` {
		t.Errorf("err = %v, want the variable and the file key named", err)
	}
}

func TestEveryProblemOfTheFileAndTheEnvironmentIsReported(t *testing.T) {
	path := writeFile(t, "sukma.yaml", "whatsapp_enabled: mungkin\ntimezone: Asia/Makassar\n")
	missing := filepath.Join(t.TempDir(), "missing")
	c, err := Load(path, env(map[string]string{"SUKMA_WHATSAPP_ENABLED": "maybe", "SUKMA_ADMIN_TOKEN_FILE": missing, "SUKMA_HTTP_ADDR": ":9100"}))
	want := []string{
		path + `:1:19: whatsapp_enabled: "mungkin" bukan true atau false`,
		`SUKMA_ADMIN_TOKEN_FILE (admin_token): ` + missing + `: berkas tidak ditemukan`,
		`SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): "maybe" bukan true atau false`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("err =\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
	// What could be read is read: the rest is validated as usual.
	if c.Timezone != "Asia/Makassar" || c.HTTPAddr != ":9100" {
		t.Errorf("timezone %q, http_addr %q: the readable settings were not kept", c.Timezone, c.HTTPAddr)
	}
}

func TestFileProblemsHavePositions(t *testing.T) {
	path := writeFile(t, "sukma.yaml", "http_addr: :8080\nhttp_adr: :9090\ntimezone: [a]\n")
	_, err := Load(path, env(nil))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{path + `:2:1: pengaturan "http_adr" tidak dikenal`, path + ":3:11: timezone harus satu nilai"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to contain %q", err, want)
		}
	}
}

func TestExampleFileDocumentsEverySetting(t *testing.T) {
	src, err := os.ReadFile("../sukma.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	for _, s := range c.settings() {
		if !strings.Contains(string(src), "# "+s.key+":") && !strings.Contains(string(src), "\n"+s.key+":") {
			t.Errorf("sukma.example.yaml does not mention %s", s.key)
		}
	}
	// The example, uncommented, must load: it is what admins copy.
	var lines []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, "# ") && strings.Contains(l, ": ") && !strings.HasPrefix(l, "#  ") {
			if s, ok := c.lookup(strings.SplitN(l[2:], ":", 2)[0]); ok {
				lines = append(lines, l[2:])
				_ = s
			}
		}
	}
	path := writeFile(t, "all.yaml", strings.Join(lines, "\n"))
	if _, err := Load(path, env(nil)); err != nil {
		t.Errorf("the uncommented example does not load: %v", err)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A setting refused at start is named in the error, but a password or a bot token in it is
// not: start-up errors end up in logs and in support chats.
func TestRefusedSettingsDoNotPrintSecrets(t *testing.T) {
	for _, tt := range []struct{ name, key, value, secret string }{
		{"a URL with a typo in its scheme", "SUKMA_DATABASE_URL", "postgres//sukma:S3cretPass@db/sukma", "S3cretPass"},
		{"libpq's key=value form", "SUKMA_DATABASE_URL", "host=db user=sukma password=S3cretPass dbname=sukma", "S3cretPass"},
		{"an unescaped character in the password", "SUKMA_DATABASE_URL", "pg://sukma:S3cret%Pass@db/sukma", "S3cret"},
		{"the real endpoint with the token", "SUKMA_TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot123456:AAHsecretTOKENabcdefghijklmnop/%s", "AAHsecretTOKEN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", env(map[string]string{tt.key: tt.value, "SUKMA_TELEGRAM_TOKEN": "123456:AAHsecretTOKENabcdefghijklmnop"}))
			if err == nil {
				err = c.Validate()
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

func TestAMisspeltVariableIsReported(t *testing.T) {
	got := UnknownEnv([]string{"SUKMA_PUBLICURL=https://x", "SUKMA_PUBLIC_URL=https://x", "SUKMA_ADMIN_TOKEN_FILE=/run/s",
		"SUKMA_PUBLIC_URL_FILE=/run/u", "SUKMA_CONFIG=sukma.yaml", "SUKMA_TEST_POSTGRES_URL=x", "SUKMA_LOADTEST_SERVER=1", "PATH=/bin"})
	if want := []string{"SUKMA_PUBLICURL", "SUKMA_PUBLIC_URL_FILE"}; !slices.Equal(got, want) {
		t.Errorf("UnknownEnv = %v, want %v", got, want)
	}
}

func TestAnEmptyDatabaseURLIsRefused(t *testing.T) {
	blank := writeFile(t, "database_url", " \n")
	tests := []struct {
		name string
		env  map[string]string
		yaml string
		want string
	}{
		{"a variable set to nothing", map[string]string{"SUKMA_DATABASE_URL": ""}, "",
			"SUKMA_DATABASE_URL (database_url): kosong: hapus variabel ini untuk memakai SQLite bawaan (sqlite:./data/sukma.db), atau isi dengan sqlite:PATH atau postgres://…"},
		{"a variable of spaces only", map[string]string{"SUKMA_DATABASE_URL": "  "}, "",
			"SUKMA_DATABASE_URL (database_url): kosong: hapus variabel ini"},
		{"a file variable set to nothing", map[string]string{"SUKMA_DATABASE_URL_FILE": ""}, "",
			"SUKMA_DATABASE_URL_FILE (database_url): kosong: hapus variabel ini"},
		{"a file with nothing in it", map[string]string{"SUKMA_DATABASE_URL_FILE": blank}, "",
			"SUKMA_DATABASE_URL_FILE (database_url): berkas " + blank + " kosong: hapus variabel SUKMA_DATABASE_URL_FILE untuk memakai SQLite bawaan"},
		{"an empty string in the file", nil, "database_url: \"\"\n",
			":1:15: database_url: kosong: hapus kunci ini untuk memakai SQLite bawaan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, "sukma.yaml", tt.yaml)
			}
			c, err := Load(path, env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line with %q", err, tt.want)
			}
			if verr := c.Validate(); verr != nil {
				t.Errorf("the refused value was kept: Validate: %v", verr)
			}
		})
	}
	t.Run("other settings set to nothing are left at their defaults", func(t *testing.T) {
		c, err := Load("", env(map[string]string{"SUKMA_TELEGRAM_TOKEN": "", "SUKMA_HTTP_ADDR": "", "SUKMA_TELEGRAM_TOKEN_FILE": ""}))
		if err == nil {
			err = c.Validate()
		}
		if err != nil || c.HTTPAddr != ":8080" {
			t.Errorf("err = %v, http_addr %q", err, c.HTTPAddr)
		}
	})
}

func TestTheAdminTokenIsChecked(t *testing.T) {
	const how = "buat token acak, misalnya dengan: openssl rand -base64 32"
	blank := writeFile(t, "admin_token", "\n")
	refused := []struct {
		name string
		env  map[string]string
		yaml string
		want string
	}{
		{"a token too short", map[string]string{"SUKMA_ADMIN_TOKEN": "abc"}, "",
			"SUKMA_ADMIN_TOKEN (admin_token): terlalu pendek (3 karakter): token ini membuka seluruh API dan menjadi kata sandi pertama admin, minimal 16 karakter; " + how},
		{"a token of 15 characters", map[string]string{"SUKMA_ADMIN_TOKEN": "é23456789012345"}, "", "terlalu pendek (15 karakter)"},
		{"a token with a space", map[string]string{"SUKMA_ADMIN_TOKEN": "kata sandi yang panjang sekali"}, "",
			"SUKMA_ADMIN_TOKEN (admin_token): memuat spasi atau karakter kendali, yang tidak dapat dikirim utuh sebagai token bearer: " + how},
		{"a token with a control character", map[string]string{"SUKMA_ADMIN_TOKEN": "0123456789\x01abcdef"}, "", "memuat spasi atau karakter kendali"},
		{"a token of spaces only", map[string]string{"SUKMA_ADMIN_TOKEN": "  "}, "",
			"SUKMA_ADMIN_TOKEN (admin_token): kosong: hapus variabel ini agar Sukma memakai token buatannya sendiri (dicetak sekali pada start pertama), atau isi dengan token acak minimal 16 karakter, misalnya dari: openssl rand -base64 32"},
		{"a token set to nothing", map[string]string{"SUKMA_ADMIN_TOKEN": ""}, "", "SUKMA_ADMIN_TOKEN (admin_token): kosong: hapus variabel ini"},
		{"an empty token file", map[string]string{"SUKMA_ADMIN_TOKEN_FILE": blank}, "",
			"SUKMA_ADMIN_TOKEN_FILE (admin_token): berkas " + blank + " kosong: hapus variabel SUKMA_ADMIN_TOKEN_FILE agar"},
		{"a token file variable set to nothing", map[string]string{"SUKMA_ADMIN_TOKEN_FILE": ""}, "", "SUKMA_ADMIN_TOKEN_FILE (admin_token): kosong: hapus variabel ini"},
		{"a short token in the file", nil, "admin_token: rahasia\n", "SUKMA_ADMIN_TOKEN (admin_token): terlalu pendek (7 karakter)"},
		{"an empty token in the file", nil, "admin_token: ' '\n", ":1:14: admin_token: kosong: hapus kunci ini"},
	}
	for _, tt := range refused {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, "sukma.yaml", tt.yaml)
			}
			c, err := Load(path, env(tt.env))
			if err == nil {
				err = c.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line with %q", err, tt.want)
			}
			if v := strings.TrimSpace(tt.env["SUKMA_ADMIN_TOKEN"]); err != nil && v != "" && strings.Contains(err.Error(), v) {
				t.Errorf("err = %v: the token is a secret and must not be repeated", err)
			}
		})
	}
	for _, token := range []string{"0123456789abcdef", "K7yq3v+Zx/9a0B1c2D3e4F5g6H7i8J9k0L1m2N3o4P5=", "ganti-dengan-token-panjang"} {
		t.Run("accepted: "+token, func(t *testing.T) {
			c, err := Load("", env(map[string]string{"SUKMA_ADMIN_TOKEN": token}))
			if err == nil {
				err = c.Validate()
			}
			if err != nil || c.AdminToken != token {
				t.Errorf("err = %v, token %q", err, c.AdminToken)
			}
		})
	}
}

// A bot token that is not of the shape @BotFather gives (digits, a colon, then letters,
// digits, _ and -) stops the start with a line naming the setting, and not the token: it
// would otherwise reach Telegram only as a refusal, or, with Telegram unreachable, not at all.
func TestTheTelegramTokenIsChecked(t *testing.T) {
	const real = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
	const shape = "SUKMA_TELEGRAM_TOKEN (telegram_token): bukan token bot Telegram: bentuknya angka, titik dua, lalu huruf, angka, _ atau - (seperti 123456789:AAH…), persis seperti dari @BotFather"
	file := writeFile(t, "telegram_token", "bot"+real+"\n")
	refused := []struct {
		name string
		env  map[string]string
		yaml string
		want string
	}{
		{"a token without its colon", map[string]string{"SUKMA_TELEGRAM_TOKEN": "123456789AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}, "", shape},
		{"a token without its number", map[string]string{"SUKMA_TELEGRAM_TOKEN": ":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}, "", shape},
		{"a token without its secret", map[string]string{"SUKMA_TELEGRAM_TOKEN": "123456789:"}, "", shape},
		{"a token with a space", map[string]string{"SUKMA_TELEGRAM_TOKEN": "123456789: AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}, "", shape},
		{"a token in quotes", map[string]string{"SUKMA_TELEGRAM_TOKEN": `"` + real + `"`}, "", shape},
		{"the bot's username", map[string]string{"SUKMA_TELEGRAM_TOKEN": "@sukma_jatim_bot"}, "", shape},
		{"a token with the bot prefix of the API's URL", map[string]string{"SUKMA_TELEGRAM_TOKEN": "bot" + real}, "", shape + `, tanpa awalan "bot"`},
		{"the API's URL", map[string]string{"SUKMA_TELEGRAM_TOKEN": "https://api.telegram.org/bot" + real + "/getMe"}, "", shape},
		{"a token with the bot prefix in its file", map[string]string{"SUKMA_TELEGRAM_TOKEN_FILE": file}, "", shape + `, tanpa awalan "bot"`},
		{"a token with a slash in the settings file", nil, "telegram_token: 123456789:AAH/dqTc\n", shape},
		{"a quoted tilde in the settings file", nil, "telegram_token: \"~\"\n", shape},
	}
	for _, tt := range refused {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, "sukma.yaml", tt.yaml)
			}
			c, err := Load(path, env(tt.env))
			if err == nil {
				err = c.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line with %q", err, tt.want)
			}
			for _, secret := range []string{"AAHdqTc", "sukma_jatim_bot", "123456789"} {
				if strings.Contains(strings.TrimPrefix(err.Error(), tt.want), secret) {
					t.Errorf("err = %v: the token is a secret and must not be repeated", err)
				}
			}
		})
	}
	// Tokens of the tests and the load tool (sukma loadtest's default is 123:load) are of
	// the shape, as are real ones.
	for _, token := range []string{real, "123:load", "123:abc", "123:mem", "1:x", "111:wrong", "987654321:AAE-app_test-TOKEN", "123456789:AAF-secret_TOKEN-value"} {
		t.Run("accepted: "+token, func(t *testing.T) {
			c, err := Load("", env(map[string]string{"SUKMA_TELEGRAM_TOKEN": token}))
			if err == nil {
				err = c.Validate()
			}
			if err != nil || c.TelegramToken != token {
				t.Errorf("err = %v, token %q", err, c.TelegramToken)
			}
		})
	}
}

// A YAML mistake in the settings file is told as one in a flow file is: FILE:LINE:COL and
// advice, also on the first line, where the YAML library gives no line.
func TestASettingsFileYAMLMistakeIsTold(t *testing.T) {
	for _, tt := range []struct{ name, yaml, want string }{
		{"a tab on the first line", "\thttp_addr: 127.0.0.1:9\n", ":1:2: sintaks YAML salah: ada karakter yang tidak boleh mengawali nilai (tab?"},
		{"a tab indenting a later line", "http_addr: 127.0.0.1:9\n\ttimezone: Asia/Jakarta\n", ":2:1: sintaks YAML salah: tab dipakai untuk indentasi: gunakan spasi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "sukma.yaml", tt.yaml)
			_, err := Load(path, env(nil))
			if err == nil || !strings.Contains(err.Error(), path+tt.want) {
				t.Errorf("got %v, want %s%s", err, path, tt.want)
			}
		})
	}
}
