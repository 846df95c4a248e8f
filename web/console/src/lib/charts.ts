// ECharts with only the parts the console draws (tree-shaken): line and bar
// charts, grid, tooltip, legend, data zoom, mark lines, canvas renderer.
// Loaded on first use by EChart.vue, in its own chunk.
import { init, use } from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import {
  DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer])

export { init }
