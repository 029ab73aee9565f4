map answer=Response
set model=m

   # comment
extract temperature=temperature~(\d+)
