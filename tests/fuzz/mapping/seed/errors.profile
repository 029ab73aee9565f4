map nope=/x
set model
extract item=~(x)
extract item=item~(x)
item-regex (
answers-regex (a)
format xml
records x
delimiter ab
bogus
