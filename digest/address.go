package digest

import (
	"strconv"
	"strings"
)

// NormalAddress writes a subscriber's address as subscribers are stored and compared, by the
// API, the admin form and the command line alike: a WhatsApp number in international digits
// ("+62 812-3456" and "0812 3456" are 628123456), a Telegram chat id in plain decimal
// ("-01001" is -1001). Anything else is left as it is, for the checks.
func NormalAddress(channel, address string) string {
	address = strings.TrimSpace(address)
	switch channel {
	case "whatsapp":
		address = strings.TrimPrefix(strings.NewReplacer(" ", "", "-", "").Replace(address), "+")
		if rest, ok := strings.CutPrefix(address, "0"); ok {
			address = "62" + rest
		}
	case "telegram":
		if n, err := strconv.ParseInt(address, 10, 64); err == nil {
			address = strconv.FormatInt(n, 10)
		}
	}
	return address
}
