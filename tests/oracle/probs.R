# tests/oracle/probs.R -- reference values for issue 14 part 5 (scoring from probabilities) on the
# OpenAI-shaped fixtures in fixtures/probs/ (tests/oracle/probs/make_fixtures.py wrote them).
# Run from the repository root:  Rscript tests/oracle/probs.R
# Writes tests/oracle/probs/expected_responses.csv (per response: p(option 1..5) as given, outside
# mass, EV, argmax, entropy in nats), expected_scores.csv (per model: per-item EXT score under
# argmax and ev) and expected_summary.csv (per model: agreement of argmax with the text, Cohen's
# kappa, mean entropy, mean outside), which tests/cli/probs.sh compares with psyfaith to 1e-9.
# Token -> option rule, as psyfaith's answer_label() for these tokens: trim white space; one letter
# A..E is option 1..5 (ascending order); anything else ("The", "\n") is mass outside the scale.
suppressMessages({ library(jsonlite); library(psych) })
lines <- readLines("fixtures/probs/openai-batch-logprobs.jsonl")
K <- 5
letter_option <- function(tok) {
  t <- trimws(tok)
  if (nchar(t) == 1 && toupper(t) %in% LETTERS[1:K]) match(toupper(t), LETTERS[1:K]) else 0
}
text_option <- function(content) {     # the fixture's texts: "D" or "The answer is D"
  letter_option(sub(".*\\s", "", content))
}
keys <- c(E1 = 1, E2 = -1, E3 = 1, E4 = -1, E5 = 1, E6 = -1, E7 = 1, E8 = -1, E9 = 1, E10 = -1)
rows <- list()
for (i in seq_along(lines)) {
  rec <- fromJSON(lines[i], simplifyVector = FALSE)
  body <- rec$response$body
  ch <- body$choices[[1]]
  top <- ch$logprobs$content[[1]]$top_logprobs
  p <- numeric(K); outside <- 0
  for (e in top) {
    o <- letter_option(e$token)
    if (o > 0) p[o] <- p[o] + exp(e$logprob) else outside <- outside + exp(e$logprob)
  }
  q <- p / sum(p)
  ev <- sum(seq_len(K) * q)
  am <- which(q == max(q)); am <- if (length(am) == 1) am else 0
  ent <- -sum(ifelse(q > 0, q * log(q), 0))
  item <- sub(".*item=", "", rec$custom_id)
  rows[[i]] <- data.frame(line = i, model = body$model, item = item, key = keys[[item]],
                          text = text_option(ch$message$content),
                          p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5], outside = outside,
                          ev = ev, argmax = am, entropy = ent)
}
d <- do.call(rbind, rows)
fmt <- function(x) trimws(formatC(x, digits = 17, format = "g"))
out <- d
for (c in c("p1", "p2", "p3", "p4", "p5", "outside", "ev", "entropy")) out[[c]] <- fmt(d[[c]])
write.csv(out[, c("line", "model", "item", "p1", "p2", "p3", "p4", "p5", "outside", "ev", "argmax", "entropy")],
          "tests/oracle/probs/expected_responses.csv", row.names = FALSE, quote = FALSE)

# scores: the per-item mean of the keyed scores (R- = K + 1 - x) over the 10 EXT items
keyed <- function(x, key) ifelse(key > 0, x, K + 1 - x)
sc <- do.call(rbind, lapply(split(d, d$model), function(g) data.frame(
  model = g$model[1],
  text = mean(keyed(g$text, g$key)),
  argmax = mean(keyed(g$argmax, g$key)),
  ev = mean(keyed(g$ev, g$key)))))
sc$text <- fmt(sc$text); sc$argmax <- fmt(sc$argmax); sc$ev <- fmt(sc$ev)
write.csv(sc, "tests/oracle/probs/expected_scores.csv", row.names = FALSE, quote = FALSE)

# the summary: agreement share, Cohen's kappa (psych::cohen.kappa, unweighted), mean entropy, outside
sm <- do.call(rbind, lapply(split(d, d$model), function(g) {
  ck <- suppressWarnings(psych::cohen.kappa(cbind(g$text, g$argmax)))
  # by hand as well: the two must agree
  lv <- sort(unique(c(g$text, g$argmax)))
  tab <- table(factor(g$text, lv), factor(g$argmax, lv))
  n <- sum(tab); po <- sum(diag(tab)) / n; pe <- sum(rowSums(tab) * colSums(tab)) / n^2
  k <- (po - pe) / (1 - pe)
  stopifnot(abs(k - ck$kappa) < 1e-12)
  data.frame(model = g$model[1], n = nrow(g), agree = fmt(mean(g$text == g$argmax)), kappa = fmt(k),
             mean_entropy_nats = fmt(mean(g$entropy)), mean_outside = fmt(mean(g$outside)))
}))
write.csv(sm, "tests/oracle/probs/expected_summary.csv", row.names = FALSE, quote = FALSE)

# the single chat-completion body (fixtures/probs/openai-chat.jsonl, item A1 of IPIP-50, + keyed)
rec <- fromJSON(readLines("fixtures/probs/openai-chat.jsonl")[1], simplifyVector = FALSE)
top <- rec$completion$choices[[1]]$logprobs$content[[1]]$top_logprobs
p <- numeric(K); outside <- 0
for (e in top) {
  o <- letter_option(e$token)
  if (o > 0) p[o] <- p[o] + exp(e$logprob) else outside <- outside + exp(e$logprob)
}
q <- p / sum(p)
am <- which(q == max(q)); am <- if (length(am) == 1) am else 0
write.csv(data.frame(model = rec$model_name, item = rec$item, p1 = fmt(p[1]), p2 = fmt(p[2]), p3 = fmt(p[3]),
                     p4 = fmt(p[4]), p5 = fmt(p[5]), outside = fmt(outside), ev = fmt(sum(seq_len(K) * q)),
                     argmax = am, entropy = fmt(-sum(ifelse(q > 0, q * log(q), 0)))),
          "tests/oracle/probs/expected_chat.csv", row.names = FALSE, quote = FALSE)
