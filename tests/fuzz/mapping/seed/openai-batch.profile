# psyfaith ingest profile: OpenAI Batch API output (one JSON object a line):
#   {"id": "batch_req_..", "custom_id": "model=gpt-4o;temperature=0.7;persona=baseline;rep=2;item=E1",
#    "response": {"status_code": 200, "body": {"model": "gpt-4o-2024-08-06",
#                 "choices": [{"message": {"role": "assistant", "content": "(D) Moderately Accurate"}}]}}}
# psyfaith reads the answer and the model from the body; the study's own coordinates travel in
# custom_id, the only field a batch request carries back, so they are extracted from it.
# Give the instrument on the command line (--set instrument=IPIP-50) or add a line here.
format jsonl
map answer=/response/body/choices/0/message/content
map model=/response/body/model
extract temperature=custom_id~(?:^|;)temperature=([0-9.]+)
extract persona=custom_id~(?:^|;)persona=([^;]+)
extract rep=custom_id~(?:^|;)rep=(\d+)
extract item=custom_id~(?:^|;)item=([^;]+)
