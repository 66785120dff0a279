{#-
    The conversion rate of a record in `currency_column`: 1 for the corporate currency
    (var corporate_currency), else `dated_rate` (the dated rate picked for the day; may
    be null when the currency has no rates).
-#}
{% macro corporate_currency_rate(currency_column, dated_rate) %}
    case
        when {{ currency_column }} = '{{ var("corporate_currency") }}' then cast(1 as {{ crm_revenue.rate_type() }})
        else {{ dated_rate }}
    end
{% endmacro %}
