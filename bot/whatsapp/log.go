package whatsapp

import (
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// Log adapts slog to whatsmeow's logger. Its Info is our Debug (whatsmeow is chatty), and
// every line has its phone numbers masked.
func Log(l *slog.Logger, module string) waLog.Logger {
	return wmLog{l: l.With(slog.String("whatsmeow", module))}
}

type wmLog struct{ l *slog.Logger }

func (w wmLog) Warnf(msg string, args ...any) { w.l.Warn(maskAll(fmt.Sprintf(msg, args...))) }
func (w wmLog) Errorf(msg string, args ...any) {
	w.l.Error(maskAll(fmt.Sprintf(msg, args...)))
}
func (w wmLog) Infof(msg string, args ...any)  { w.l.Debug(maskAll(fmt.Sprintf(msg, args...))) }
func (w wmLog) Debugf(msg string, args ...any) {}
func (w wmLog) Sub(module string) waLog.Logger { return wmLog{l: w.l.With(slog.String("sub", module))} }
