# every directive
format jsonl
records /records/0
map model=/response/body/model
map answer=a~1b/c~0d
set instrument=IPIP-50
set persona=AGR=9
extract item=custom_id~(?:^|;)item=([^;]+)
item-regex \n([^\n]+?)\s*\z
answers-regex \((?<item>[a-z]{1,2})\)\s*(?<answer>[^\n(]*)
delimiter tab
wide
missing NA
jq x.jq
