{#- The seven open canonical stages in order (every stage before closed_won / closed_lost). -#}
{% macro funnel_open_stages() %}
    {{ return(crm_revenue.funnel_stages()[:7]) }}
{% endmacro %}
