// Package config holds Sukma's settings: defaults, then an optional YAML file, then SUKMA_*
// environment variables, validated once at start.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // SUKMA_TIMEZONE must work in images without a zoneinfo database.
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
	Timezone              string
	LogLevel              string
	LogFormat             string

	// Location is Timezone loaded by Validate.
	Location *time.Location
}

// Default returns the settings Sukma runs with when nothing is configured.
func Default() Config {
	return Config{
		DatabaseURL:  "sqlite:./data/sukma.db",
		HTTPAddr:     ":8080",
		TelegramMode: "polling",
		Timezone:     "Asia/Jakarta",
		LogLevel:     "info",
		LogFormat:    "text",
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
}

func (s setting) env() string { return "SUKMA_" + strings.ToUpper(s.key) }

// name is how errors refer to a setting: both spellings, so users find it wherever they set it.
func (s setting) name() string { return s.env() + " (" + s.key + ")" }

func (c *Config) settings() []setting {
	return []setting{
		{key: "database_url", str: &c.DatabaseURL, secret: true, doc: "sqlite:PATH or postgres://…"},
		{key: "http_addr", str: &c.HTTPAddr, doc: "host:port to listen on"},
		{key: "public_url", str: &c.PublicURL, doc: "base URL of links and QR codes"},
		{key: "admin_token", str: &c.AdminToken, secret: true, doc: "bearer token of the JSON API"},
		{key: "telegram_token", str: &c.TelegramToken, secret: true, doc: "Telegram bot token"},
		{key: "telegram_api_endpoint", str: &c.TelegramAPIEndpoint, doc: "Bot API endpoint template …/bot%s/%s"},
		{key: "telegram_mode", str: &c.TelegramMode, doc: "polling or webhook"},
		{key: "telegram_webhook_secret", str: &c.TelegramWebhookSecret, secret: true, doc: "webhook secret token"},
		{key: "whatsapp_enabled", flag: &c.WhatsAppEnabled, doc: "true to run the WhatsApp linked device"},
		{key: "timezone", str: &c.Timezone, doc: "IANA time zone of schedules and periods"},
		{key: "log_level", str: &c.LogLevel, doc: "debug, info, warn or error"},
		{key: "log_format", str: &c.LogFormat, doc: "text or json"},
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
			return fmt.Errorf("%q is not true or false", raw)
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
		bad("http_addr", "%q is not host:port (for example :8080 or 127.0.0.1:8080)", c.HTTPAddr)
	} else if _, port, _ := net.SplitHostPort(c.HTTPAddr); !validPort(port) {
		bad("http_addr", "%q has no valid port (0–65535)", c.HTTPAddr)
	}

	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		if strings.TrimPrefix(c.DatabaseURL, "sqlite:") == "" {
			bad("database_url", "sqlite: needs a file path, for example sqlite:./data/sukma.db")
		}
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			bad("database_url", "not a valid postgres:// URL")
		}
	default:
		bad("database_url", "must start with sqlite: or postgres:// (got %q)", RedactURL(c.DatabaseURL))
	}

	if c.PublicURL == "" {
		c.PublicURL = defaultPublicURL(c.HTTPAddr)
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("public_url", "%q is not an absolute http(s) URL, for example https://survei.example.go.id", c.PublicURL)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")

	switch c.TelegramMode {
	case "polling":
	case "webhook":
		if c.TelegramToken != "" && c.TelegramWebhookSecret == "" {
			bad("telegram_webhook_secret", "is required when telegram_mode is webhook")
		}
	default:
		bad("telegram_mode", "must be polling or webhook (got %q)", c.TelegramMode)
	}
	if e := c.TelegramAPIEndpoint; e != "" && strings.Count(e, "%s") != 2 {
		bad("telegram_api_endpoint", "must be a URL template with two %%s, like https://api.telegram.org/bot%%s/%%s")
	}

	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		bad("timezone", "%q is not a known time zone (for example Asia/Jakarta, Asia/Makassar, Asia/Jayapura)", c.Timezone)
	}
	c.Location = loc

	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "must be debug, info, warn or error (got %q)", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", "must be text or json (got %q)", c.LogFormat)
	}
	return errors.Join(errs...)
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

func defaultPublicURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// RedactURL hides the password of a URL, for logs and errors.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
