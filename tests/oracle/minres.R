# tests/oracle/minres.R -- sourced by stats.R and faith.R: McDonald's omega_total from a one-factor
# minres solution, as psyfaith's metrics/stats_omega.c computes it.
#
# psych::fa(x, 1, fm = "minres") stops its L-BFGS-B search early (loadings ~1e-7 from the optimum
# on well-conditioned data, ~1e-5 when the correlation matrix is singular), so the exact minres
# solution is computed here as well: principal axes iterated from the smcs until no communality
# moves by 1e-15, the stationary point of fa's least-squares criterion.  A communality above .995
# (where fa's bound on the uniqueness, .005, holds: a Heywood case; the iteration stops as soon as
# one exceeds 1) or no convergence (10,000 steps, or 200 without a new smallest step) gives NA, as psyfaith refuses to print a number there.
minres_omega <- function(R) {
  h <- pmin(pmax(1 - 1 / diag(Pinv(R)), 0), 1)
  best <- Inf; best_it <- 0
  for (it in 1:10000) {
    S <- R; diag(S) <- h
    e <- eigen(S, symmetric = TRUE)
    l <- e$vectors[, 1] * sqrt(max(e$values[1], 0))
    hn <- l^2
    moved <- max(abs(hn - h))
    done <- moved < 1e-15
    h <- hn
    if (moved < best) { best <- moved; best_it <- it }
    if (done || any(h > 1)) break   # above 1: a Heywood case (stats_omega.c stops there too)
    if (it - best_it > 200) break   # no new smallest step in 200: cycling (as stats_omega.c)
  }
  if (sum(l) < 0) l <- -l
  heywood <- any(h > 0.995) || !done
  list(omega = if (heywood) NA else sum(l)^2 / (sum(l)^2 + sum(1 - l^2)), loadings = l, heywood = heywood)
}
