# One line, then the next only once the first one's hit is on the
# terminal (or after a minute, under another id: valgrind runs are slow).
printf '%s\n' '{"id":"M1","text":"价格太高了"}'
i=0
while [ $i -lt 600 ] && ! grep -q '"M1"' out 2> /dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q '"M1"' out; then id=M2; else id=M2-after-waiting; fi
printf '%s\n' "{\"id\":\"$id\",\"text\":\"需要领导审批\"}"
