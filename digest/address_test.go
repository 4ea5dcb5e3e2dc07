package digest

import "testing"

func TestAddressesAreWrittenOneWay(t *testing.T) {
	for _, tt := range []struct{ channel, in, want string }{
		{"whatsapp", "+62 812-3456-7890", "6281234567890"},
		{"whatsapp", "0812 3456 7890", "6281234567890"},
		{"whatsapp", " 6281234567890 ", "6281234567890"},
		{"telegram", "-01001", "-1001"},
		{"telegram", "123456", "123456"},
		{"telegram", "@kepala_dinas", "@kepala_dinas"}, // left for the checks to refuse
	} {
		if got := NormalAddress(tt.channel, tt.in); got != tt.want {
			t.Errorf("NormalAddress(%s, %q) = %q, want %q", tt.channel, tt.in, got, tt.want)
		}
	}
}
