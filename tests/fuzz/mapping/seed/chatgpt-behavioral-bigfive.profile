# psyfaith ingest profile: ChatGPT-Behavioral Big Five records (records/bigfive_*.json).
# The prompt ends with the item on its own line: "...such as [1], [2], ...). \nI am the life of the party."
jq chatgpt-behavioral-bigfive.jq
item-regex \n([^\n]+?)\s*\z
