# tests/oracle/strategy.R -- reference values for the strategy-method and proposer rows of
# `psyfaith games ultimatum` (metrics/games_strategy.c), checked by tests/cli/strategy.sh.
#   Rscript tests/oracle/strategy.R     (from the top of the tree; writes tests/oracle/strategy/expected.csv)
# Model amounts: tests/oracle/strategy/amounts.tsv (% of a $100 total).  Human amounts: rebuilt from
# fixtures/games/human_games.csv (acceptance = cumulative counts of minimums, offer = counts at x).
a <- read.delim("tests/oracle/strategy/amounts.tsv", comment.char = "#", na.strings = "NA")
h <- read.csv("fixtures/games/human_games.csv")
acc <- h[h$experiment == "ultimatum" & h$measure == "acceptance", ]
acc <- acc[order(acc$x), ]
human_min <- rep(acc$x, diff(c(0, acc$count)))
off <- h[h$experiment == "ultimatum" & h$measure == "offer", ]
human_offer <- rep(off$x, off$count)
rows <- list()
put <- function(kind, term, value) rows[[length(rows) + 1]] <<- data.frame(kind = kind, term = term, value = value)
for (kind in c("threshold", "offer")) {
  x <- a$amount[a$kind == kind]
  x <- x[!is.na(x)]
  y <- if (kind == "threshold") human_min else human_offer
  tt <- t.test(x, y)
  put(kind, "n", length(x)); put(kind, "mean", mean(x)); put(kind, "sd", sd(x))
  put(kind, "welch_t", unname(tt$statistic)); put(kind, "df", unname(tt$parameter)); put(kind, "p", tt$p.value)
  put(kind, "mean_difference", unname(tt$estimate[1] - tt$estimate[2]))
  put(kind, "ci_low", tt$conf.int[1]); put(kind, "ci_high", tt$conf.int[2])
  if (kind == "threshold")
    for (o in seq(0, 100, 10)) {
      k <- sum(x <= o)
      ci <- prop.test(k, length(x), correct = FALSE)$conf.int
      put(kind, sprintf("acceptance_%d", o), k / length(x))
      put(kind, sprintf("acceptance_lo_%d", o), ci[1]); put(kind, sprintf("acceptance_hi_%d", o), ci[2])
    }
}
# a condition against the baseline of the same model: t.test(condition, baseline)
xc <- a$amount[a$kind == "cond_explained"]; xb <- a$amount[a$kind == "cond_baseline"]
tt <- t.test(xc, xb)
put("condition", "welch_t", unname(tt$statistic)); put("condition", "df", unname(tt$parameter))
put("condition", "p", tt$p.value); put("condition", "mean_difference", mean(xc) - mean(xb))
put("condition", "ci_low", tt$conf.int[1]); put("condition", "ci_high", tt$conf.int[2])
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)
write.csv(out, "tests/oracle/strategy/expected.csv", row.names = FALSE, quote = FALSE)
