// Package scoring computes the Indeks Kepuasan Masyarakat (IKM) exactly as
// Peraturan Menteri PANRB Nomor 14 Tahun 2017 defines it: the nine service
// elements (unsur), their average scores (NRR), the index, its grade (mutu and
// kinerja), and the Krejcie–Morgan minimum sample size.
//
// The package is pure: it does no I/O except reading the io.Reader handed to
// ReadCSV. All arithmetic on scores is exact (math/big.Rat) and the IKM is
// rounded once, half-up, to two decimals, so that it matches a hand
// calculation to the last digit.
//
// Raw sums and counts (Tally) are what may be pooled across services, units
// and periods; published IKMs are never averaged.
package scoring
