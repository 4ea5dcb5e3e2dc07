package bot_test

import (
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// The answers to questions an agency added to its flow are kept on the response, in the flow's
// order, beside the columns of the profile, the elements and the open answers; a question with
// a column of its own (here an element under an id of the agency's) is not repeated there.
func TestAnsweredAddedQuestionsAreKeptOnTheResponse(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.publish(`id: tambah
version: 1
title: Tes
questions:
  - {id: asal_info, kind: text, prompt: "Dari mana Anda tahu layanan ini?"}
  - {id: kecepatan, kind: scale, element: U3, prompt: "Seberapa cepat?", labels: [Lambat, Agak lambat, Cepat, Sangat cepat]}
  - {id: kunjungan, kind: choice, prompt: "Kunjungan ke berapa?", options: [{value: "1", label: Pertama}, {value: "2", label: Kedua atau lebih}]}
  - {id: catatan, kind: text, optional: true, prompt: "Catatan lain? (ketik lewati)"}
  - {id: saran, kind: text, prompt: "Saran?"}
`)
		f.send("c", "/start "+f.visitOf("tambah"))
		for _, a := range []string{"Dari tetangga", "4", "2", "lewati", "Pertahankan"} {
			f.send("c", a)
		}
		var lainnya, saran string
		var u3 int
		if err := db.QueryRow("SELECT lainnya, saran, u3 FROM responses WHERE status = 'complete'").Scan(&lainnya, &saran, &u3); err != nil {
			t.Fatal(err)
		}
		if lainnya != "asal_info: Dari tetangga\nkunjungan: 2" || saran != "Pertahankan" || u3 != 4 {
			t.Errorf("lainnya %q, saran %q, U3 %d", lainnya, saran, u3)
		}
		f.send("d", "/start "+f.visit()) // the built-in flow: every answer has its column
		for _, a := range fullSurvey {
			f.send("d", a)
		}
		var none int
		if err := db.Get(&none, "SELECT COUNT(*) FROM responses WHERE flow_id = 'skm' AND lainnya IS NOT NULL"); err != nil || none != 0 {
			t.Errorf("%d built-in responses with other answers (%v), want none", none, err)
		}
	})
}

// A citizen's text with line breaks in it stays one answer, on its line: "saran: palsu" typed
// on a line of its own does not read as an answer to saran. A line break is written \n, the
// backslash \\, and what other tools split lines at (U+2028 here) \uXXXX.
func TestAnAddedQuestionsAnswerStaysOnItsLine(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.publish(`id: tambah
version: 1
title: Tes
questions:
  - {id: asal_info, kind: text, prompt: "Dari mana Anda tahu layanan ini?"}
  - {id: kecepatan, kind: scale, element: U3, prompt: "Seberapa cepat?", labels: [Lambat, Agak lambat, Cepat, Sangat cepat]}
  - {id: catatan, kind: text, prompt: "Catatan lain?"}
  - {id: saran, kind: text, prompt: "Saran?"}
`)
		f.send("c", "/start "+f.visitOf("tambah"))
		for _, a := range []string{"=1+1\nsaran: palsu\nu1: 1", "4", `C:\n` + "\u2028catatan: dua", "Pertahankan"} {
			f.send("c", a)
		}
		var lainnya string
		if err := db.QueryRow("SELECT lainnya FROM responses WHERE status = 'complete'").Scan(&lainnya); err != nil {
			t.Fatal(err)
		}
		const want = `asal_info: =1+1\nsaran: palsu\nu1: 1` + "\n" + `catatan: C:\\n\u2028catatan: dua`
		if lainnya != want {
			t.Errorf("lainnya %q\nwant    %q", lainnya, want)
		}
	})
}
