-- Grain and columns: _pipeline__models.yml. The running totals are computed here so a BI
-- tool draws the floating bars without table calculations.
{%- set columns = crm_revenue.waterfall_columns() %}

with waterfall as (
    select * from {{ ref('fct_pipeline_waterfall') }}
),

bars as (
    {%- set rows = [
        ['starting_pipeline', 'starting_pipeline', 1, 'Starting pipeline'],
        ['new_pipeline', 'new_pipeline', 1, 'New pipeline'],
    ] %}
    {%- for part in columns['value_change_parts'] %}
    {%- do rows.append(['value_change', part, 1, part.replace('_', ' ') | capitalize]) %}
    {%- endfor %}
    {%- do rows.append(['closed_won', 'closed_won', -1, 'Closed won']) %}
    {%- do rows.append(['closed_lost', 'closed_lost', -1, 'Closed lost']) %}
    {%- do rows.append(['ending_pipeline', 'ending_pipeline', 1, 'Ending pipeline']) %}
    {%- for element, sub_element, sign, label in rows %}
    select
        quarter_start_date,
        fiscal_quarter,
        opportunity_type,
        is_complete,
        {{ loop.index }} as sort_order,
        '{{ element }}' as element,
        '{{ sub_element }}' as sub_element,
        '{{ label }}' as label,
        {{ 'true' if element in ['starting_pipeline', 'ending_pipeline'] else 'false' }} as is_total,
        {{ sub_element }} as amount_corporate,
        {{ sign }} * {{ sub_element }} as signed_amount_corporate
    from waterfall
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

running as (
    select
        *,
        sum(case when is_total then 0 else signed_amount_corporate end) over (
            partition by quarter_start_date, opportunity_type
            order by sort_order
            rows between unbounded preceding and current row
        ) as running_change
    from bars
),

final as (
    select
        quarter_start_date,
        fiscal_quarter,
        opportunity_type,
        is_complete,
        sort_order,
        element,
        sub_element,
        label,
        is_total,
        amount_corporate,
        signed_amount_corporate,
        -- where the bar starts and ends on the chart's axis
        case
            when is_total then 0
            else first_value(signed_amount_corporate) over (partition by quarter_start_date, opportunity_type order by sort_order) + running_change - signed_amount_corporate
        end as bar_start_corporate,
        case
            when is_total then amount_corporate
            else first_value(signed_amount_corporate) over (partition by quarter_start_date, opportunity_type order by sort_order) + running_change
        end as bar_end_corporate
    from running
)

select * from final
