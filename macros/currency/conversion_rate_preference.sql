{#-
    ORDER BY terms ranking the dated rates of a currency for a given day (best first):
    the rate valid on the day, else the latest rate starting before it, else the
    earliest rate. Use with row_number() ... = 1 wherever a rate is picked.
-#}
{% macro conversion_rate_preference(rates, day) %}
    case
        when {{ rates }}.start_date <= {{ day }}
            and ({{ rates }}.next_start_date is null or {{ rates }}.next_start_date > {{ day }})
            then 1
        when {{ rates }}.start_date <= {{ day }} then 2
        else 3
    end,
    case when {{ rates }}.start_date <= {{ day }} then {{ rates }}.start_date end desc,
    {{ rates }}.start_date
{% endmacro %}
