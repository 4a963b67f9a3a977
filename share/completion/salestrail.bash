# bash completion for the salestrail commands.  Installed once per
# command name under the bash-completion directory, so that it loads
# on the first <Tab> after any of them.  Long options come from the
# command's own --help, so they never fall out of date.

_salestrail()
{
	local cmd=${COMP_WORDS[0]##*/} cur=${COMP_WORDS[COMP_CWORD]}
	local prev= verbs= w i
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	case $prev in
	-D | --db | -M | --map | -o | --output | -r | --rejects)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-R | --rules)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-f | --format)
		COMPREPLY=($(compgen -W "csv jsonl md text xlsx xls chat rss" \
		    -- "$cur"))
		return
		;;
	-k | --kind)
		[ "$cmd" = sales-ingest ] &&
		    COMPREPLY=($(compgen -W "customer rep lead deal activity \
		    payment order_event target" -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$1" --help 2> /dev/null |
		    grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
		return
	fi
	case $cmd in
	sales-ingest) verbs="cat batches undo" ;;
	sales-stage) verbs="move check history dwell stuck" ;;
	sales-assign) verbs="assign rebalance log who-is-near" ;;
	sales-report) verbs="weekly funnel audit reconcile drill incentives" ;;
	sales-voc) verbs="scan test correct suggest" ;;
	sales-forecast) verbs="snapshot explain backtest fit" ;;
	esac
	# A verb goes first among the operands; files after it.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case " $verbs " in *" $w "*) verbs= ;; esac
	done
	COMPREPLY=($(compgen -W "$verbs" -- "$cur") $(compgen -f -- "$cur"))
}
complete -o filenames -F _salestrail sales-ingest sales-stage sales-voc \
    sales-forecast sales-assign sales-report
