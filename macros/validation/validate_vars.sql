{#-
    on-run-start: checks every project var before anything is built (see
    validate_var_values for the rules) and stops with a message naming the var, the value
    given and what is allowed. Run it alone with `dbt run-operation validate_vars`.
-#}
{% macro validate_vars() %}
    {%- set names = [
        'raw_path', 'source_shape', 'passthrough_columns', 'corporate_currency', 'fiscal_year_start_month',
        'pipeline_window_quarters', 'as_of_date', 'close_grace_days', 'mql_to_sal_threshold',
        'maturing_cohort_quarters', 'planning_lookback_quarters', 'calendar_start_date', 'calendar_end_date',
        'crm_source_schema', 'max_reject_shares', 'person_key_salt',
    ] -%}
    {%- set values = {} -%}
    {%- for name in names -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- if values['crm_source_schema'] is none -%}
        {%- do values.pop('crm_source_schema') -%}
    {%- endif -%}
    {{ crm_revenue.validate_var_values(values) }}
    {{ return('') }}
{% endmacro %}
