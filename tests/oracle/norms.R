# tests/oracle/norms.R -- the human alphas that fixtures/norms/norms.csv ships for IPIP-50
# ("openpsychometrics BIG5 2012 respondents"), recomputed with psych::alpha from the item data.
#
# Run from the repository root (needs R with psych; CI does not run this):
#   Rscript tests/oracle/norms.R
# Reads $PSYFAITH_SHARED (default ../shared)/data/chatgpt-behavioral/data/bigfive_data.csv (19,719
# respondents, tab-separated, 0 = not answered) and the keys of fixtures/banks/ipip-50.csv (a "-" item
# is 6 - x; the N items are keyed for emotional stability, which leaves alpha unchanged).  Writes
# tests/oracle/norms/ipip50_alpha.expected: dimension, psych raw_alpha (17 digits), respondents with
# an answer in the dimension.  Stops if norms.csv (6 decimals, make_fixtures.py) differs by more
# than rounding.
suppressPackageStartupMessages(library(psych))
shared <- Sys.getenv("PSYFAITH_SHARED", "../shared")
h <- read.delim(file.path(shared, "data/chatgpt-behavioral/data/bigfive_data.csv"))
bank <- read.csv("fixtures/banks/ipip-50.csv", colClasses = "character")
norms <- read.csv("fixtures/norms/norms.csv", stringsAsFactors = FALSE)
norms <- norms[norms$instrument == "IPIP-50" & norms$population == "openpsychometrics BIG5 2012 respondents", ]
out <- sprintf("# psych::alpha raw_alpha of bigfive_data.csv (%d respondents in the file), keys of ipip-50.csv; %s, psych %s",
               nrow(h), R.version.string, packageVersion("psych"))
for (d in c("EXT", "AGR", "CONS", "EMO", "OPEN")) {
  items <- bank[bank$dimension == d, ]
  X <- as.matrix(h[, items$item]); X[X == 0] <- NA
  X[, items$key == "-"] <- 6 - X[, items$key == "-"]
  answered <- rowSums(!is.na(X)) > 0
  a <- suppressWarnings(alpha(X[answered, ], check.keys = FALSE, warnings = FALSE))$total$raw_alpha
  shipped <- norms$alpha[norms$dimension == d]
  if (length(shipped) != 1 || is.na(shipped) || abs(shipped - a) > 5e-7)
    stop(sprintf("norms.csv IPIP-50 %s alpha %s, psych %.17g", d, format(shipped), a))
  out <- c(out, sprintf("%s\t%.17g\t%d", d, a, sum(answered)))
}
dir.create("tests/oracle/norms", showWarnings = FALSE)
writeLines(out, "tests/oracle/norms/ipip50_alpha.expected")
cat(out, sep = "\n")
