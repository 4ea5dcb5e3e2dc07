package bot

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics of the engine and the dispatcher, served at /metrics.
var (
	metricInbound = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "sukma_inbound_messages_total",
		Help: "Citizen messages processed by the engine, by channel (redeliveries not counted).",
	}, []string{"channel"})
	metricStepSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "sukma_engine_step_seconds",
		Help:    "Time of one engine step (one transaction), by channel.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"channel"})
	metricStepErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "sukma_engine_step_errors_total",
		Help: "Citizen messages the engine could not store (the database failed), by channel: the platform delivers them again, the web chat asks to try again.",
	}, []string{"channel"})
	metricBatchSteps = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "sukma_engine_batch_steps",
		Help:    "Steps committed together in one transaction by the engine's group commit.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64},
	})
	metricResponses = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "sukma_responses_total",
		Help: "Responses stored, by status (complete, partial).",
	}, []string{"status"})
	metricOutbox = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "sukma_outbox_messages_total",
		Help: "Outbox messages by channel and outcome (sent, retry, failed).",
	}, []string{"channel", "outcome"})
)
