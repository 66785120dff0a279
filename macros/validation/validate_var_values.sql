{#-
    Checks var values (a mapping var name -> value) against the project's rules and stops
    with `invalid_var` at the first bad one. Names it does not know are skipped. Called by
    `validate_vars` (on-run-start) with every project var; tests call it with one value.
-#}
{% macro validate_var_values(values) %}
    {%- set integers = {
        'fiscal_year_start_month': [1, 12, 'an integer from 1 to 12 (the first month of the fiscal year; 1 = calendar quarters)'],
        'pipeline_window_quarters': [1, none, 'an integer of 1 or more (quarters in the pipeline window)'],
        'close_grace_days': [0, none, 'an integer of 0 or more (days; 0 = off)'],
        'maturing_cohort_quarters': [0, none, 'an integer of 0 or more (fiscal quarters)'],
        'planning_lookback_quarters': [1, none, 'an integer of 1 or more (trailing quarters the planning ratios and rates use)'],
    } -%}
    {%- set ratios = ['mql_to_sal_threshold'] -%}
    {%- set dates = {
        'as_of_date': true,
        'calendar_start_date': false,
        'calendar_end_date': false,
    } -%}
    {%- for name, value in values.items() -%}
        {%- if name in integers -%}
            {%- set low, high, allowed = integers[name] -%}
            {%- if not crm_revenue.is_integer_value(value)
                or (value | int) < low or (high is not none and (value | int) > high) -%}
                {{ crm_revenue.invalid_var(name, value, allowed) }}
            {%- endif -%}
        {%- elif name in ratios -%}
            {%- if not crm_revenue.is_number_value(value) or (value | float) < 0 or (value | float) > 1 -%}
                {{ crm_revenue.invalid_var(name, value, 'a number from 0 to 1 (a share, e.g. 0.5)') }}
            {%- endif -%}
        {%- elif name in dates -%}
            {%- set nullable = dates[name] -%}
            {%- if not ((nullable and (value is none or value == '')) or crm_revenue.is_date_value(value)) -%}
                {{ crm_revenue.invalid_var(name, value,
                    'a date written YYYY-MM-DD' ~ (', or null for today (UTC)' if nullable else '')) }}
            {%- endif -%}
        {%- elif name == 'corporate_currency' -%}
            {%- if not (value is string and modules.re.fullmatch('[A-Z]{3}', value) is not none) -%}
                {{ crm_revenue.invalid_var(name, value, 'three upper-case letters, an ISO 4217 code such as USD or EUR') }}
            {%- endif -%}
        {%- elif name == 'crm_source_schema' -%}
            {%- if not (value is string and modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_$]*', value) is not none) -%}
                {{ crm_revenue.invalid_var(name, value, 'a schema name (letters, digits, _ and $, not starting with a digit)') }}
            {%- endif -%}
        {%- elif name == 'passthrough_columns' -%}
            {%- set allowed = 'a mapping of CRM object (' ~ crm_revenue.crm_export_contract().keys() | join(', ')
                ~ ') to a list of column names (letters, digits and _), e.g. {opportunity: [Region__c]}' -%}
            {%- if value is none -%}
            {%- elif value is not mapping -%}
                {{ crm_revenue.invalid_var(name, value, allowed) }}
            {%- else -%}
                {%- for object_name, columns in value.items() -%}
                    {#- the contract is read from the graph, known at execution only -#}
                    {%- if (execute and object_name not in crm_revenue.crm_export_contract())
                        or columns is string or columns is not iterable or columns is mapping -%}
                        {{ crm_revenue.invalid_var(name, value, allowed) }}
                    {%- endif -%}
                    {%- for column in columns
                        if not (column is string and modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', column) is not none) -%}
                        {{ crm_revenue.invalid_var(name, value, allowed) }}
                    {%- endfor -%}
                {%- endfor -%}
            {%- endif -%}
        {%- elif name == 'max_reject_shares' -%}
            {%- set allowed = 'a mapping of CRM object (' ~ crm_revenue.crm_base_models().keys() | join(', ')
                ~ ') to a share from 0 to 1, e.g. {lead: 0.1}' -%}
            {%- if value is not none and value is not mapping -%}
                {{ crm_revenue.invalid_var(name, value, allowed) }}
            {%- endif -%}
            {%- for object_name, share in (value or {}).items()
                if object_name not in crm_revenue.crm_base_models()
                or not crm_revenue.is_number_value(share) or (share | float) < 0 or (share | float) > 1 -%}
                {{ crm_revenue.invalid_var(name, value, allowed) }}
            {%- endfor -%}
        {%- elif name == 'source_shape' -%}
            {%- do crm_revenue.crm_source_shape(value) -%}
        {%- elif name == 'person_key_salt' -%}
            {%- if not (value is string and value | length > 0 and modules.re.search('[\\x00-\\x1f]', value) is none) -%}
                {{ crm_revenue.invalid_var(name, value, 'a non-empty text without control characters (keep it secret)') }}
            {%- endif -%}
        {%- elif name == 'raw_path' -%}
            {{ crm_revenue.validate_raw_path_var(value) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if crm_revenue.is_date_value(values.get('calendar_start_date'))
        and crm_revenue.is_date_value(values.get('calendar_end_date')) -%}
        {%- set calendar_start = values['calendar_start_date'] | string -%}
        {%- set calendar_end = values['calendar_end_date'] | string -%}
        {%- if calendar_start >= calendar_end -%}
            {{ crm_revenue.invalid_var('calendar_end_date', values['calendar_end_date'],
                'a date after calendar_start_date (' ~ calendar_start ~ ')') }}
        {%- endif -%}
        {%- set as_of = values.get('as_of_date') -%}
        {%- if crm_revenue.is_date_value(as_of)
            and (as_of | string < calendar_start or as_of | string >= calendar_end) -%}
            {{ crm_revenue.invalid_var('as_of_date', as_of,
                'a date inside the generated calendar, from calendar_start_date (' ~ calendar_start
                ~ ') to before calendar_end_date (' ~ calendar_end ~ ')') }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
