// Package config holds Sukma's settings: defaults, then an optional YAML file, then SUKMA_*
// environment variables, validated once at start.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // SUKMA_TIMEZONE must work in images without a zoneinfo database.
	"unicode"
	"unicode/utf8"

	"sukma/redact"
)

// Config is every setting of Sukma. Each field is one setting; its file key and environment
// variable are listed in settings().
type Config struct {
	DatabaseURL           string
	HTTPAddr              string
	PublicURL             string
	AdminToken            string
	TelegramToken         string
	TelegramAPIEndpoint   string
	TelegramMode          string
	TelegramWebhookSecret string
	WhatsAppEnabled       bool
	WhatsAppNumber        string
	WhatsAppGlobalRate    string
	// The WhatsApp Business Cloud API, on when its four settings are set.
	WhatsAppCloudToken         string
	WhatsAppCloudPhoneNumberID string
	WhatsAppCloudAppSecret     string
	WhatsAppCloudVerifyToken   string
	WhatsAppCloudAPIEndpoint   string
	// The approved template of the survey invitation (POST /api/v1/visits with "phone").
	WhatsAppCloudInviteTemplate string
	WhatsAppCloudInviteLanguage string
	Timezone                    string
	LogLevel                    string
	LogFormat                   string
	// TrustedProxies are the load balancers in front, whose X-Forwarded-For names the client.
	TrustedProxies string

	// Location is Timezone loaded by Validate.
	Location *time.Location
	// WhatsAppPerMinute is WhatsAppGlobalRate read by Validate.
	WhatsAppPerMinute float64
	// Proxies is TrustedProxies read by Validate.
	Proxies []netip.Prefix
	// PublicURLDerived says PublicURL was not set: Validate made it from HTTPAddr, and phones
	// other than this machine's may not reach it.
	PublicURLDerived bool
}

// Default returns the settings Sukma runs with when nothing is configured.
func Default() Config {
	return Config{
		DatabaseURL:  "sqlite:./data/sukma.db",
		HTTPAddr:     ":8080",
		TelegramMode: "polling",
		// A linked device that sends fast gets its number banned: a cautious default.
		WhatsAppGlobalRate:          "20",
		WhatsAppCloudInviteTemplate: "sukma_undangan_survei",
		WhatsAppCloudInviteLanguage: "id",
		Timezone:                    "Asia/Jakarta",
		LogLevel:                    "info",
		LogFormat:                   "text",
	}
}

// A setting ties a file key to its field. The environment variable is SUKMA_ + the key in
// upper case; secrets may also be read from the file named by SUKMA_<KEY>_FILE.
type setting struct {
	key    string
	str    *string
	flag   *bool
	secret bool
	doc    string
	// ifEmpty, for a setting whose empty value is a mistake rather than "use the default",
	// says what to do instead; its %s is what to remove ("variabel ini", "kunci ini").
	ifEmpty string
}

func (s setting) env() string { return "SUKMA_" + strings.ToUpper(s.key) }

// name is how errors refer to a setting: both spellings, so users find it wherever they set it.
func (s setting) name() string { return s.env() + " (" + s.key + ")" }

func (c *Config) settings() []setting {
	return []setting{
		// An empty SUKMA_DATABASE_URL is most often a replica's variable left unfilled: the
		// default would quietly start a new local SQLite database and split the data.
		{key: "database_url", str: &c.DatabaseURL, secret: true, doc: "sqlite:PATH or postgres://…",
			ifEmpty: "kosong: hapus %s untuk memakai SQLite bawaan (sqlite:./data/sukma.db), atau isi dengan sqlite:PATH atau postgres://… (pada replika: URL PostgreSQL bersama)"},
		{key: "http_addr", str: &c.HTTPAddr, doc: "host:port to listen on"},
		{key: "public_url", str: &c.PublicURL, doc: "base URL of links and QR codes"},
		// Set to nothing, the token was trimmed to "" and read as "not configured": the stored
		// token (or a new one) replaced the one the operator meant, without a word.
		{key: "admin_token", str: &c.AdminToken, secret: true, doc: "bearer token of the JSON API",
			ifEmpty: "kosong: hapus %s agar Sukma memakai token buatannya sendiri (dicetak sekali pada start pertama), atau isi dengan token acak minimal 16 karakter, misalnya dari: openssl rand -base64 32"},
		{key: "telegram_token", str: &c.TelegramToken, secret: true, doc: "Telegram bot token"},
		{key: "telegram_api_endpoint", str: &c.TelegramAPIEndpoint, doc: "Bot API endpoint template …/bot%s/%s"},
		{key: "telegram_mode", str: &c.TelegramMode, doc: "polling or webhook"},
		{key: "telegram_webhook_secret", str: &c.TelegramWebhookSecret, secret: true, doc: "webhook secret token"},
		{key: "whatsapp_enabled", flag: &c.WhatsAppEnabled, doc: "true to run the WhatsApp linked device"},
		{key: "whatsapp_number", str: &c.WhatsAppNumber, doc: "the WhatsApp number of wa.me links, 62…; default the linked device's"},
		{key: "whatsapp_global_rate", str: &c.WhatsAppGlobalRate, doc: "messages a minute the linked device sends at most, all chats together"},
		{key: "whatsapp_cloud_token", str: &c.WhatsAppCloudToken, secret: true, doc: "Cloud API access token"},
		{key: "whatsapp_cloud_phone_number_id", str: &c.WhatsAppCloudPhoneNumberID, doc: "Cloud API phone number id"},
		{key: "whatsapp_cloud_app_secret", str: &c.WhatsAppCloudAppSecret, secret: true, doc: "Meta app secret, checks webhook signatures"},
		{key: "whatsapp_cloud_verify_token", str: &c.WhatsAppCloudVerifyToken, secret: true, doc: "token of the webhook verification"},
		{key: "whatsapp_cloud_api_endpoint", str: &c.WhatsAppCloudAPIEndpoint, doc: "Graph API base URL with its version"},
		{key: "whatsapp_cloud_invite_template", str: &c.WhatsAppCloudInviteTemplate, doc: "approved template of the survey invitation; its body's {{1}} is the survey code"},
		{key: "whatsapp_cloud_invite_language", str: &c.WhatsAppCloudInviteLanguage, doc: "language code of the invitation template"},
		{key: "timezone", str: &c.Timezone, doc: "IANA time zone of schedules and periods"},
		{key: "log_level", str: &c.LogLevel, doc: "debug, info, warn or error"},
		{key: "log_format", str: &c.LogFormat, doc: "text or json"},
		{key: "trusted_proxies", str: &c.TrustedProxies, doc: "addresses or CIDR ranges of the load balancers in front, comma-separated: their X-Forwarded-For names the client (sign-in limits)"},
	}
}

func (c *Config) lookup(key string) (setting, bool) {
	for _, s := range c.settings() {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// set assigns a raw value to a setting; the error says what the value should look like.
func (s setting) set(raw string) error {
	if s.flag != nil {
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%q bukan true atau false", raw)
		}
		*s.flag = b
		return nil
	}
	*s.str = strings.TrimSpace(raw)
	return nil
}

// Validate checks every setting and fills derived fields. The error names each wrong setting
// and says why, one per line.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		s, _ := c.lookup(key)
		errs = append(errs, fmt.Errorf("%s: %s", s.name(), fmt.Sprintf(format, args...)))
	}

	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		bad("http_addr", "%q bukan host:port (misalnya :8080 atau 127.0.0.1:8080)", c.HTTPAddr)
	} else if _, port, _ := net.SplitHostPort(c.HTTPAddr); !validPort(port) {
		bad("http_addr", "%q tidak memiliki port yang sah (0–65535)", c.HTTPAddr)
	}

	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		if strings.TrimPrefix(c.DatabaseURL, "sqlite:") == "" {
			bad("database_url", "sqlite: memerlukan jalur berkas, misalnya sqlite:./data/sukma.db")
		}
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			bad("database_url", "bukan URL postgres:// yang sah")
		}
	default:
		bad("database_url", "harus diawali sqlite: atau postgres:// (tertulis %q)", redact.URL(c.DatabaseURL))
	}

	publicDefault, publicOK := c.PublicURL == "", true
	if publicDefault {
		c.PublicURL = DefaultPublicURL(c.HTTPAddr)
		c.PublicURLDerived = true
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("public_url", "%q bukan URL http(s) lengkap, misalnya https://survei.example.go.id", c.PublicURL)
		publicOK = false
	} else if strings.ContainsAny(c.PublicURL, "?#") {
		// Links are the public URL and a path: a query or fragment would end up in the middle.
		bad("public_url", "%q memuat query atau fragmen (? atau #): tulis dasar tautan saja, misalnya https://survei.example.go.id/skm", c.PublicURL)
		publicOK = false
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")

	c.validateTelegramToken(bad)
	endpointOK := c.TelegramAPIEndpoint == "" || validEndpoint(c.TelegramAPIEndpoint)
	if !endpointOK {
		bad("telegram_api_endpoint", "harus templat URL dengan dua %%s, seperti https://api.telegram.org/bot%%s/%%s (tertulis %q)", redact.Token(c.TelegramAPIEndpoint))
	}
	if s := c.TelegramWebhookSecret; s != "" && !webhookSecret.MatchString(s) {
		bad("telegram_webhook_secret", "harus 1 sampai 256 huruf, angka, _ atau - (aturan Telegram), misalnya untaian acak yang panjang")
	}
	switch c.TelegramMode {
	case "polling":
	case "webhook":
		if c.TelegramToken != "" && c.TelegramWebhookSecret == "" {
			bad("telegram_webhook_secret", "wajib diisi bila telegram_mode webhook")
		}
		// Only the real Telegram is certain to refuse: a self-hosted Bot API server or the
		// load test's fake calls whatever URL it is given.
		if c.TelegramToken != "" && publicOK && endpointOK && realTelegram(c.TelegramAPIEndpoint) {
			checkWebhookURL(c.PublicURL, publicDefault, bad)
		}
	default:
		bad("telegram_mode", "harus polling atau webhook (tertulis %q)", c.TelegramMode)
	}

	c.validateAdminToken(bad)
	c.validateWhatsApp(bad)

	loc, err := time.LoadLocation(c.Timezone)
	switch {
	case c.Timezone == "Local":
		// Schedules and periods must not move with the machine they happen to run on.
		bad("timezone", "%q adalah zona waktu mesin: tulis nama zona IANA (misalnya Asia/Jakarta, Asia/Makassar, Asia/Jayapura)", c.Timezone)
	case err != nil || c.Timezone == "":
		bad("timezone", "%q bukan zona waktu yang dikenal (misalnya Asia/Jakarta, Asia/Makassar, Asia/Jayapura)", c.Timezone)
	}
	c.Location = loc

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "harus debug, info, warn atau error (tertulis %q)", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", "harus text atau json (tertulis %q)", c.LogFormat)
	}
	c.Proxies = nil
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if addr, aerr := netip.ParseAddr(p); aerr == nil {
			prefix, err = addr.Prefix(addr.BitLen())
		}
		if err != nil {
			bad("trusted_proxies", "%q bukan alamat atau rentang CIDR (misalnya 10.0.0.0/8 atau 192.168.1.10)", p)
			continue
		}
		c.Proxies = append(c.Proxies, prefix.Masked())
	}
	return errors.Join(errs...)
}

// minAdminToken is the shortest admin token accepted, in characters: the token opens the
// whole JSON API and is the first password of the account "admin".
const minAdminToken = 16

// validateAdminToken refuses a configured token that is easy to guess, or that no client can
// send: the API trims the bearer token and HTTP headers carry no control characters.
// The token itself is never repeated: it is a secret.
func (c *Config) validateAdminToken(bad func(key, format string, args ...any)) {
	const how = "buat token acak, misalnya dengan: openssl rand -base64 32"
	switch t := c.AdminToken; {
	case t == "": // not configured: Sukma makes one
	case strings.IndexFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		bad("admin_token", "memuat spasi atau karakter kendali, yang tidak dapat dikirim utuh sebagai token bearer: %s", how)
	case utf8.RuneCountInString(t) < minAdminToken:
		bad("admin_token", "terlalu pendek (%d karakter): token ini membuka seluruh API dan menjadi kata sandi pertama admin, minimal %d karakter; %s", utf8.RuneCountInString(t), minAdminToken, how)
	}
}

// validateTelegramToken refuses a bot token that is not of the shape @BotFather gives: with
// Telegram unreachable at start, a wrong one would only be found out later, or never. A
// self-hosted Bot API server takes the same tokens. The token itself is never repeated.
func (c *Config) validateTelegramToken(bad func(key, format string, args ...any)) {
	t := c.TelegramToken
	if t == "" || telegramToken.MatchString(t) { // empty: Telegram off
		return
	}
	const shape = "bukan token bot Telegram: bentuknya angka, titik dua, lalu huruf, angka, _ atau - (seperti 123456789:AAH…), persis seperti dari @BotFather"
	if strings.HasPrefix(t, "bot") && telegramToken.MatchString(strings.TrimPrefix(t, "bot")) {
		// Copied from a Bot API URL (…/bot<token>/getMe).
		bad("telegram_token", "%s, tanpa awalan \"bot\"", shape)
		return
	}
	bad("telegram_token", "%s", shape)
}

// WhatsAppCloud reports whether the Cloud API is configured (all four settings set).
func (c *Config) WhatsAppCloud() bool {
	return c.WhatsAppCloudToken != "" && c.WhatsAppCloudPhoneNumberID != "" && c.WhatsAppCloudAppSecret != "" && c.WhatsAppCloudVerifyToken != ""
}

func (c *Config) validateWhatsApp(bad func(key, format string, args ...any)) {
	n, err := strconv.ParseFloat(strings.TrimSpace(c.WhatsAppGlobalRate), 64)
	if err != nil || n <= 0 || n > 600 {
		bad("whatsapp_global_rate", "harus jumlah pesan per menit antara 1 dan 600 (tertulis %q)", c.WhatsAppGlobalRate)
	}
	c.WhatsAppPerMinute = n
	if c.WhatsAppNumber != "" {
		c.WhatsAppNumber = strings.TrimPrefix(strings.ReplaceAll(c.WhatsAppNumber, " ", ""), "+")
		if _, err := strconv.ParseUint(c.WhatsAppNumber, 10, 64); err != nil || len(c.WhatsAppNumber) < 8 {
			bad("whatsapp_number", "harus nomor dalam bentuk internasional, angka saja, seperti 6281234567890")
		}
	}
	cloud := map[string]string{
		"whatsapp_cloud_token": c.WhatsAppCloudToken, "whatsapp_cloud_phone_number_id": c.WhatsAppCloudPhoneNumberID,
		"whatsapp_cloud_app_secret": c.WhatsAppCloudAppSecret, "whatsapp_cloud_verify_token": c.WhatsAppCloudVerifyToken,
	}
	some := false
	for _, v := range cloud {
		some = some || v != ""
	}
	if some && !c.WhatsAppCloud() {
		for _, key := range []string{"whatsapp_cloud_token", "whatsapp_cloud_phone_number_id", "whatsapp_cloud_app_secret", "whatsapp_cloud_verify_token"} {
			if cloud[key] == "" {
				bad(key, "wajib diisi bersama pengaturan whatsapp_cloud_* lainnya")
			}
		}
	}
	if c.WhatsAppCloud() && c.WhatsAppEnabled {
		bad("whatsapp_enabled", "perangkat tertaut dan Cloud API tidak dapat berjalan bersama: pilih satu (whatsapp_enabled false, atau kosongkan whatsapp_cloud_*)")
	}
	if !templateName.MatchString(c.WhatsAppCloudInviteTemplate) {
		bad("whatsapp_cloud_invite_template", "harus nama templat dari huruf kecil, angka dan _, seperti sukma_undangan_survei (tertulis %q)", c.WhatsAppCloudInviteTemplate)
	}
	if !languageCode.MatchString(c.WhatsAppCloudInviteLanguage) {
		bad("whatsapp_cloud_invite_language", "harus kode bahasa templat seperti id atau en_US (tertulis %q)", c.WhatsAppCloudInviteLanguage)
	}
	if e := c.WhatsAppCloudAPIEndpoint; e != "" {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("whatsapp_cloud_api_endpoint", "%q bukan URL http(s) lengkap, seperti https://graph.facebook.com/v21.0", e)
		}
	}
}

// Meta's template names and language codes; Telegram's webhook secret tokens and bot tokens.
var (
	templateName  = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	languageCode  = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
	webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	// A bot token: the bot's id, a colon, and the secret part.
	telegramToken = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
)

// fillEndpoint fills a Bot API endpoint template as the Telegram library does, with a token
// and a method name. Braces cannot stand in a host, so a template that puts either there
// does not parse.
func fillEndpoint(e string) string { return fmt.Sprintf(e, "{token}", "{method}") }

// validEndpoint reports whether e is a template of two %s that, filled, is an absolute
// http(s) URL.
func validEndpoint(e string) bool {
	if strings.Count(e, "%s") != 2 {
		return false
	}
	filled := fillEndpoint(e)
	if strings.Contains(filled, "%!") { // another verb, or %s that took nothing
		return false
	}
	u, err := url.Parse(filled)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// realTelegram reports whether a valid endpoint template is Telegram's own Bot API.
func realTelegram(endpoint string) bool {
	if endpoint == "" {
		return true
	}
	u, err := url.Parse(fillEndpoint(endpoint))
	return err == nil && strings.EqualFold(u.Hostname(), "api.telegram.org")
}

// checkWebhookURL reports what Telegram's setWebhook would refuse in a valid public URL:
// anything but HTTPS on ports 443, 80, 88 and 8443.
func checkWebhookURL(publicURL string, derived bool, bad func(key, format string, args ...any)) {
	u, _ := url.Parse(publicURL)
	got := strconv.Quote(publicURL)
	if derived {
		got = "bawaan " + got
	}
	switch port := u.Port(); {
	case u.Scheme != "https":
		bad("public_url", "harus URL https:// bila telegram_mode webhook: Telegram memanggil webhook hanya lewat HTTPS (tertulis %s)", got)
	case port != "" && port != "443" && port != "80" && port != "88" && port != "8443":
		bad("public_url", "harus memakai port 443, 80, 88 atau 8443 bila telegram_mode webhook: Telegram tidak memanggil port lain (tertulis %s)", port)
	}
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

// DefaultPublicURL is the base of links when public_url is not set: the HTTP address, with
// localhost for an address of every interface.
func DefaultPublicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
