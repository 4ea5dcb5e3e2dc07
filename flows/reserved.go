package flows

import "go.yaml.in/yaml/v3"

// reservedIDs are the question ids whose answers the rest of the system reads by id, each
// with the kind its reader needs: the engine stores them in a column of their own (bot's
// flatten and fixedAnswers), the respondent profile counts the first four (storage's Profile,
// the report's "Profil Responden"), and the daily digest and the admin's list of suggestions
// show the last two as a citizen's words. Under another kind the answer would be lost (an age
// that is no number) or misread (free text counted as an occupation in a public profile).
// Option codes are free: the profile lists codes other than the built-in flow's after those.
var reservedIDs = map[string]reserved{
	"jenis_kelamin": {KindChoice, msg{"jenis kelamin responden di Profil Responden", "the respondent's gender in the respondent profile"}},
	"usia":          {KindNumber, msg{"usia responden dalam tahun di Profil Responden", "the respondent's age in years in the respondent profile"}},
	"pendidikan":    {KindChoice, msg{"pendidikan responden di Profil Responden", "the respondent's education in the respondent profile"}},
	"pekerjaan":     {KindChoice, msg{"pekerjaan responden di Profil Responden", "the respondent's occupation in the respondent profile"}},
	"saran":         {KindText, msg{"saran warga (ringkasan harian, daftar saran, kolom saran)", "the citizen's suggestion (daily digest, list of suggestions, saran column)"}},
	"perbaikan":     {KindText, msg{"hal yang perlu diperbaiki menurut warga (ringkasan harian, daftar saran, kolom perbaikan)", "what the citizen says needs improving (daily digest, list of suggestions, perbaikan column)"}},
}

// reserved is what the system reads the answer to a reserved id as, and the kind it needs.
type reserved struct {
	kind Kind
	role msg
}

// ReservedIDs returns the question ids the system reads by id (the respondent profile, the
// open answers), each with the kind a flow must give it: Parse refuses a question with one
// of these ids and another kind.
func ReservedIDs() map[string]Kind {
	out := make(map[string]Kind, len(reservedIDs))
	for id, r := range reservedIDs {
		out[id] = r.kind
	}
	return out
}

// reservedKind reports a question with a reserved id and another kind than its own, at kind,
// the value of its kind key.
func (p *parser) reservedKind(q *Question, kind *yaml.Node) {
	r, ok := reservedIDs[q.ID]
	if !ok || q.Kind == r.kind {
		return
	}
	p.newRule(kind, msg{"kind pertanyaan %[1]q harus %[2]s, bukan %[3]s: jawaban atas id %[1]q dibaca sebagai %[4]s; untuk pertanyaan lain, pakai id lain",
		"the kind of question %[1]q must be %[2]s, not %[3]s: the answer to the id %[1]q is read as %[4]s; for another question, use another id"}, q.ID, r.kind, q.Kind, r.role)
}
