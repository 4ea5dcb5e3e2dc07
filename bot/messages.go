package bot

import "fmt"

// texts holds what the engine itself says, per language; a missing language falls back to
// Indonesian.
var texts = map[string]map[string]string{
	"id": {
		"help":            "Halo! 👋 Ini layanan Survei Kepuasan Masyarakat.\nUntuk menilai layanan yang baru Anda terima, pindai kode QR di loket layanan, lalu ikuti tautannya.",
		"unknownToken":    "Maaf, kode survei ini tidak dikenal. Mohon pindai lagi kode QR di loket layanan.",
		"unitRetired":     "Maaf, unit layanan ini sudah tidak menerima survei. Terima kasih atas kesediaan Anda.",
		"alreadyRated":    "Kunjungan ini sudah dinilai, jadi tidak dapat dinilai lagi. Jika bukan Anda yang menilainya, sampaikan kepada petugas di loket layanan.",
		"visitExpired":    "Maaf, tautan survei ini sudah kedaluwarsa. Mintalah kode QR baru di loket layanan.",
		"elsewhere":       "Survei untuk kunjungan ini sedang diisi di perangkat lain. Silakan lanjutkan di sana.",
		"doneToday":       "Terima kasih, Anda sudah menilai unit ini hari ini. Silakan menilai lagi besok.",
		"tooManyStarts":   "Terlalu banyak survei dimulai dari jaringan ini dalam waktu singkat. Silakan coba lagi beberapa menit lagi, atau minta kode survei di loket.",
		"noSession":       "Tidak ada survei yang sedang berjalan.",
		"cancelled":       "Survei dibatalkan dan jawaban Anda dihapus. Jika berubah pikiran, pindai lagi kode QR di loket.",
		"cancelledWeb":    "Survei dibatalkan dan jawaban Anda dihapus. Jika berubah pikiran, kirim pesan apa saja di sini untuk memulai lagi.",
		"restarted":       "Baik, kita mulai lagi dari awal.",
		"language":        "Bahasa diganti ke Bahasa Indonesia.",
		"languageUnknown": "Bahasa %q tidak tersedia. Pilihannya: %s (misalnya /bahasa en).",
		"languageLater":   "Tidak ada survei yang sedang berjalan, jadi belum ada bahasa yang diganti. Survei dimulai dalam Bahasa Indonesia; setelah survei dimulai, ketik /bahasa untuk mengganti bahasanya (Indonesia/English).",
		"expired":         "Survei Anda sebelumnya ditutup karena melewati batas waktu sebelum selesai diisi. Survei yang tidak selesai tidak dihitung dalam Indeks Kepuasan Masyarakat. Terima kasih atas waktu Anda.",
		"expiredRestart":  "Waktu survei sebelumnya habis sebelum ada jawaban, jadi survei dimulai lagi dari awal.",
		"closedPartial":   "Survei untuk kunjungan ini sudah ditutup karena waktunya habis sebelum selesai diisi, jadi tidak dapat diisi lagi. Jawaban yang sempat diberikan tidak dihitung dalam Indeks Kepuasan Masyarakat. Terima kasih atas waktu Anda.",
		"noSuchOption":    "Tombol itu sudah tidak berlaku.",
		"counted":         "✅ Jawaban Anda sudah tercatat dan ikut dihitung dalam Indeks Kepuasan Masyarakat unit ini.",
		"preview":         "👀 Pratinjau alur: survei ini hanya untuk mencoba. Jawabannya tidak disimpan sebagai respons dan tidak dihitung dalam IKM.",
		"previewDone":     "👀 Pratinjau selesai. Jawaban pratinjau tidak disimpan dan tidak dihitung dalam IKM.",
		"commands":        "Perintah yang bisa dipakai:\n/batal — membatalkan survei dan menghapus jawaban\n/ulang — mengulang survei dari awal\n/bahasa — mengganti bahasa (Indonesia/English)",
		"needCookie":      "Tautan ini dipakai banyak pengunjung, jadi browser Anda perlu menerima cookie agar survei Anda terpisah dari survei orang lain. Buka tautan ini di browser biasa (Chrome, Safari) yang menerima cookie.",
		"whichService":    "Layanan apa yang baru saja Anda terima?",
		"serviceHint":     "Pilih salah satu layanan di bawah ini, atau balas dengan nomornya (1–%d).",
		"passed":          "Jawaban itu untuk pertanyaan yang sudah lewat, jadi tidak kami catat. Mari lanjutkan:",
		"sentBefore":      "Pesan Anda%s terkirim sebelum pertanyaan di atas sampai, jadi tidak kami catat sebagai jawabannya.",
		"oldButton":       "Tombol ini sudah tidak berlaku",
		"skipButton":      "Lewati",
		"recorded":        "Survei Anda sudah selesai dan jawaban Anda sudah tercatat. Terima kasih! 🙏",
		"edited":          "Pesan yang diedit tidak kami baca, jadi jawaban Anda tidak berubah. Untuk mengubah jawaban, ketik /ulang untuk mengulang survei dari awal. Pertanyaan yang masih terbuka:",
		"notText":         "Foto, stiker, pesan suara, dan berkas tidak dapat kami baca. Mohon jawab dengan mengetik teks, atau dengan tombol bila ada.",
		"repliedEarlier":  "Anda membalas pertanyaan sebelumnya. Jawaban pertanyaan yang sudah lewat tidak dapat diubah di sini, jadi balasan itu tidak kami catat. Pertanyaan di bawah ini masih menunggu jawaban; untuk mengubah jawaban sebelumnya, ketik /ulang untuk mengulang survei dari awal.",
		"unknownCommand":  "Perintah itu tidak dikenal. Ketik /bantuan untuk melihat perintah yang bisa dipakai.",
		"bareCommand":     "Untuk memakai perintah, ketik dengan garis miring: %s.",

		// The unit a survey rates, and a survey link sent in the middle of one (resume.go).
		"surveyFor":        "Survei ini untuk menilai layanan %s.",
		"resumedAt":        "Mari lanjutkan survei Anda untuk %s.",
		"replacedAnswered": "Survei Anda sebelumnya untuk %s ditutup sebelum selesai dan tidak dapat dilanjutkan. Jawaban yang sempat diberikan disimpan, tetapi tidak dihitung dalam Indeks Kepuasan Masyarakat.",
		"replacedBlank":    "Survei Anda sebelumnya untuk %s ditutup sebelum ada jawaban; kode QR-nya masih dapat dipakai nanti.",
	},
	"en": {
		"help":            "Hello! 👋 This is the Public Satisfaction Survey.\nTo rate the service you just received, scan the QR code at the service counter and follow its link.",
		"unknownToken":    "Sorry, this survey code is unknown. Please scan the QR code at the service counter again.",
		"unitRetired":     "Sorry, this service unit no longer takes surveys. Thank you for your willingness.",
		"alreadyRated":    "This visit has already been rated, so it cannot be rated again. If you did not rate it yourself, please tell the staff at the service counter.",
		"visitExpired":    "Sorry, this survey link has expired. Please ask for a new QR code at the counter.",
		"elsewhere":       "The survey of this visit is being answered on another device. Please continue there.",
		"doneToday":       "Thank you, you have already rated this unit today. You are welcome to rate it again tomorrow.",
		"tooManyStarts":   "Too many surveys were started from this network in a short time. Please try again in a few minutes, or ask for a survey code at the counter.",
		"noSession":       "There is no survey in progress.",
		"cancelled":       "The survey was cancelled and your answers deleted. If you change your mind, scan the QR code at the counter again.",
		"cancelledWeb":    "The survey was cancelled and your answers deleted. If you change your mind, send any message here to start again.",
		"restarted":       "All right, let us start again from the beginning.",
		"language":        "Language switched to English.",
		"languageUnknown": "Language %q is not available. The choices: %s (for example /language id).",
		"languageLater":   "There is no survey in progress, so no language was switched yet. A survey starts in Indonesian: once it has started, type /language to switch it to English.",
		"expired":         "Your previous survey was closed because its time ran out before it was finished. An unfinished survey is not counted in the public satisfaction index. Thank you for your time.",
		"expiredRestart":  "The previous survey's time ran out before any answer, so the survey starts again from the beginning.",
		"closedPartial":   "The survey for this visit was closed because its time ran out before it was finished, so it cannot be filled in again. The answers given are not counted in the public satisfaction index. Thank you for your time.",
		"noSuchOption":    "That button is no longer active.",
		"counted":         "✅ Your answers are recorded and count towards this unit's public satisfaction index.",
		"preview":         "👀 Flow preview: this survey is only a try. Its answers are not stored as a response and do not count towards the index.",
		"previewDone":     "👀 Preview finished. Preview answers are not stored and do not count towards the index.",
		"commands":        "Commands you can use:\n/cancel — cancel the survey and delete your answers\n/restart — start the survey again\n/language — switch language (Indonesia/English)",
		"needCookie":      "This link is used by many visitors, so your browser must accept cookies to keep your survey apart from others'. Open the link in a regular browser (Chrome, Safari) that accepts cookies.",
		"whichService":    "Which service did you just receive?",
		"serviceHint":     "Choose one of the services below, or reply with its number (1–%d).",
		"passed":          "That answer was for a question already past, so it was not recorded. Let us go on:",
		"sentBefore":      "Your message%s was sent before the question above reached you, so it was not recorded as its answer.",
		"oldButton":       "This button is no longer valid",
		"skipButton":      "Skip",
		"recorded":        "Your survey is finished and your answers are recorded. Thank you! 🙏",
		"edited":          "An edited message is not read, so your answers have not changed. To change an answer, type /restart to start the survey again. The question still open:",
		"notText":         "Photos, stickers, voice notes and files cannot be read here. Please answer by typing text, or with a button where there are buttons.",
		"repliedEarlier":  "You replied to an earlier question. Answers to questions already past cannot be changed here, so that reply was not recorded. The question below is still open; to change an earlier answer, type /restart to start the survey again.",
		"unknownCommand":  "That command is unknown. Type /help to see the commands you can use.",
		"bareCommand":     "To use a command, type it with its slash: %s.",

		// The unit a survey rates, and a survey link sent in the middle of one (resume.go).
		"surveyFor":        "This survey rates the service of %s.",
		"resumedAt":        "Let us continue your survey for %s.",
		"replacedAnswered": "Your previous survey for %s was closed before it was finished and cannot be continued. The answers given are kept, but not counted in the public satisfaction index.",
		"replacedBlank":    "Your previous survey for %s was closed before any answer; its QR code can still be used later.",
	},
}

// botLanguages are the languages of texts, Indonesian (the one the bot speaks with no
// survey open) first.
var botLanguages = []string{"id", "en"}

// say returns the engine's text for key in lang, falling back to Indonesian.
func say(lang, key string) string {
	if t, ok := texts[lang][key]; ok {
		return t
	}
	if t, ok := texts["id"][key]; ok {
		return t
	}
	panic(fmt.Sprintf("bot: no text %q", key))
}
