package admin

import "net/http"

// subscriberRoutes registers the subscribers pages.
func (s *Server) subscriberRoutes(province func(http.HandlerFunc) http.Handler) {
	s.mux.Handle("GET /admin/subscribers", province(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "message", view{Title: "Pelanggan"}, message{Text: "Halaman pelanggan belum tersedia."})
	}))
}
