# psyfaith ingest profile: PersonaLLM (Jiang et al. 2024; github hjian42/PersonaLLM, MIT) BFI outputs,
# outputs/<model>/temp0.7/bfi/<persona>_p<iteration>.json: one JSON object per run,
#   {"persona_encoding": "extr_agre_cons_emot_clos", "iteration": 1, "annotation": "(a) 5\n(b) 2\n..."}
# The 44 answers share one string; items are labelled (a)..(ar) in BFI-44 order, which the
# PersonaLLM-BFI bank numbers 1..44 (a=1 ... z=26, aa=27 ... ar=44).
# Give the model on the command line: --set model=gpt-4-0613
format json
map persona=persona_encoding
map rep=iteration
map answer=annotation
set instrument=PersonaLLM-BFI
set temperature=0.7
answers-regex \((?<item>[a-z]{1,2})\)\s*(?<answer>[^\n(]*)
