#!/usr/bin/env Rscript
# bench/metrics_r.R -- the R a user would write for the core of `psyfaith metrics` (issue 16's R
# baseline):   Rscript bench/metrics_r.R STORE.db
# Reads the responses from the same SQLite store (DBI + RSQLite), takes the majority vote per
# subject x item with data.table (ties: nearest the middle, then the lower option) and reverse-keys
# it, then per instrument x dimension: psych::alpha on the voted subjects x items matrix (InC), and
# TrC as cor() of each subject's repetitions (items as observations, pairwise complete) averaged
# over pairs u < v and then over subjects.  Prints the TrC and raw alpha of every block and, on
# stderr, the seconds after the library loading.  It computes a subset of psyfaith's metrics, so
# its time is a lower bound for R doing psyfaith's job.
suppressPackageStartupMessages({ library(DBI); library(RSQLite); library(data.table); library(psych) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
con <- dbConnect(RSQLite::SQLite(), args[1])
r <- as.data.table(dbGetQuery(con, paste(
  "SELECT r.id, r.subject_id, r.item_id, r.rep, r.option, i.key, i.dimension, n.name AS instrument,",
  "n.n_options AS K FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id",
  "WHERE r.status = 'ok' AND r.option BETWEEN 1 AND n.n_options")))
dbDisconnect(con)
r[, score := ifelse(key > 0, option, K + 1 - option)]
# majority vote per subject x item
cnt <- r[, .N, by = .(subject_id, item_id, option, key, K, instrument, dimension)]
cnt[, dist := abs(option - (K + 1) / 2)]
setorder(cnt, subject_id, item_id, -N, dist, option)
vote <- unique(cnt, by = c("subject_id", "item_id"))
vote[, score := ifelse(key > 0, option, K + 1 - option)]
# the first ok answer per subject x item x repetition
setorder(r, id)
reps <- unique(r, by = c("subject_id", "item_id", "rep"))
out <- list()
for (b in split(vote, by = c("instrument", "dimension"), keep.by = TRUE)) {
  m <- dcast(b, subject_id ~ item_id, value.var = "score")
  x <- as.matrix(m[, -1])
  a <- tryCatch(suppressWarnings(psych::alpha(x, check.keys = FALSE, warnings = FALSE))$total$raw_alpha,
                error = function(e) NA)
  rb <- reps[instrument == b$instrument[1] & dimension == b$dimension[1]]
  w <- dcast(rb, subject_id + rep ~ item_id, value.var = "score")
  y_all <- as.matrix(w[, -(1:2)])
  per <- c()
  for (rows in split(seq_len(nrow(w)), w$subject_id)) {
    if (length(rows) < 2) next
    cr <- suppressWarnings(cor(t(y_all[rows, , drop = FALSE]), use = "pairwise.complete.obs"))
    v <- cr[upper.tri(cr)]
    v <- v[is.finite(v)]
    if (length(v)) per <- c(per, mean(v))
  }
  out[[length(out) + 1]] <- data.frame(instrument = b$instrument[1], dimension = b$dimension[1],
                                       TrC = if (length(per)) mean(per) else NA, InC = a)
}
res <- do.call(rbind, out)
write.csv(res, stdout(), row.names = FALSE)
message(sprintf("R: %.3f s after loading the libraries", as.numeric(difftime(Sys.time(), t0, units = "secs"))))
